package org.jparallel.kernel.maven;

import org.eclipse.aether.graph.Dependency;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** POMs read by Maven's model builder: properties, parents on disk, scopes, a bare dependencies block. */
class PomDependenciesTest {

    @TempDir
    Path dir;

    private LibraryResolver offlineResolver() throws IOException {
        Path settings = Files.writeString(dir.resolve("settings.xml"), "<settings><localRepository>"
                + dir.resolve("local") + "</localRepository><offline>true</offline></settings>");
        return new LibraryResolver(MavenSettings.load(settings, null, dir.resolve("none.xml")));
    }

    private static List<String> names(List<Dependency> deps) {
        return deps.stream().map(d -> d.getArtifact() + " " + d.getScope()).toList();
    }

    @Test
    void aPomFileGivesItsCompileAndRuntimeDependenciesWithPropertiesAndItsParentsManagement() throws IOException {
        Files.writeString(dir.resolve("pom.xml"), """
                <project><modelVersion>4.0.0</modelVersion><groupId>p</groupId><artifactId>parent</artifactId>
                  <version>1</version><packaging>pom</packaging>
                  <properties><math.version>3.6.1</math.version></properties>
                  <dependencyManagement><dependencies>
                    <dependency><groupId>org.apache.commons</groupId><artifactId>commons-math3</artifactId>
                      <version>${math.version}</version></dependency>
                  </dependencies></dependencyManagement>
                  <repositories><repository><id>extra</id><url>https://repo.example.org/maven2</url></repository></repositories>
                </project>""");
        Path child = Files.createDirectories(dir.resolve("child")).resolve("pom.xml");
        Files.writeString(child, """
                <project><modelVersion>4.0.0</modelVersion>
                  <parent><groupId>p</groupId><artifactId>parent</artifactId><version>1</version></parent>
                  <artifactId>child</artifactId>
                  <dependencies>
                    <dependency><groupId>org.apache.commons</groupId><artifactId>commons-math3</artifactId></dependency>
                    <dependency><groupId>g</groupId><artifactId>run</artifactId><version>2</version><scope>runtime</scope></dependency>
                    <dependency><groupId>g</groupId><artifactId>tested</artifactId><version>2</version><scope>test</scope></dependency>
                    <dependency><groupId>g</groupId><artifactId>given</artifactId><version>2</version><scope>provided</scope></dependency>
                  </dependencies>
                </project>""");
        try (LibraryResolver resolver = offlineResolver()) {
            PomDependencies pom = PomDependencies.read(child, resolver);
            assertEquals(List.of("org.apache.commons:commons-math3:jar:3.6.1 compile", "g:run:jar:2 runtime"),
                    names(pom.dependencies()));
            assertEquals(List.of("org.apache.commons:commons-math3:jar:3.6.1 "), names(pom.managed()));
            assertEquals("extra", pom.repositories().get(0).getId());
        }
    }

    @Test
    void aParentAndAnImportedBomAreFetchedFromTheRepositories() throws IOException {
        try (TestRepository remote = new TestRepository(dir.resolve("remote"))
                .deployPom("test.corp:corp-parent:7", "<properties><util.version>2.0</util.version></properties>")
                .deployPom("test.corp:corp-bom:3", "<dependencyManagement><dependencies><dependency><groupId>test.lib"
                        + "</groupId><artifactId>app</artifactId><version>1.0</version></dependency></dependencies>"
                        + "</dependencyManagement>")) {
            String url = remote.serve();
            Path settings = Files.writeString(dir.resolve("online.xml"), "<settings><localRepository>"
                    + dir.resolve("local") + "</localRepository><mirrors><mirror><id>m</id><mirrorOf>*</mirrorOf><url>"
                    + url + "</url></mirror></mirrors></settings>");
            Path pom = Files.writeString(dir.resolve("pom.xml"), """
                    <project><modelVersion>4.0.0</modelVersion>
                      <parent><groupId>test.corp</groupId><artifactId>corp-parent</artifactId><version>7</version>
                        <relativePath/></parent>
                      <artifactId>analysis</artifactId>
                      <dependencyManagement><dependencies>
                        <dependency><groupId>test.corp</groupId><artifactId>corp-bom</artifactId><version>3</version>
                          <type>pom</type><scope>import</scope></dependency>
                      </dependencies></dependencyManagement>
                      <dependencies>
                        <dependency><groupId>test.lib</groupId><artifactId>app</artifactId></dependency>
                        <dependency><groupId>test.lib</groupId><artifactId>util</artifactId><version>${util.version}</version></dependency>
                      </dependencies>
                    </project>""");
            try (LibraryResolver resolver = new LibraryResolver(MavenSettings.load(settings, null, dir.resolve("none.xml")))) {
                assertEquals(List.of("test.lib:app:jar:1.0 compile", "test.lib:util:jar:2.0 compile"),
                        names(PomDependencies.read(pom, resolver).dependencies()));
            }
        }
    }

    @Test
    void aCellMayHoldADependenciesBlockOnly() throws IOException {
        try (LibraryResolver resolver = offlineResolver()) {
            PomDependencies pom = PomDependencies.parse("""
                    <dependencies>
                      <dependency><groupId>com.google.code.gson</groupId><artifactId>gson</artifactId><version>2.11.0</version></dependency>
                      <dependency><groupId>g</groupId><artifactId>t</artifactId><version>1</version><type>test-jar</type></dependency>
                    </dependencies>""", resolver);
            assertEquals(List.of("com.google.code.gson:gson:jar:2.11.0 compile", "g:t:jar:tests:1 compile"), names(pom.dependencies()));
        }
    }

    @Test
    void aMissingFileOrABrokenPomIsAPomException() throws IOException {
        try (LibraryResolver resolver = offlineResolver()) {
            PomException missing = assertThrows(PomException.class,
                    () -> PomDependencies.read(dir.resolve("nope/pom.xml"), resolver));
            assertTrue(missing.getMessage().startsWith("no POM file " + dir.resolve("nope/pom.xml")), missing.getMessage());
            PomException broken = assertThrows(PomException.class,
                    () -> PomDependencies.parse("<dependencies><dependency><groupId>g</groupId>", resolver));
            assertTrue(broken.getMessage().startsWith("cannot read the cell's POM: "), broken.getMessage());
        }
    }
}
