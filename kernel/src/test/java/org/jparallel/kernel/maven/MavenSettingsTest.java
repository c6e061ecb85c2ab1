package org.jparallel.kernel.maven;

import org.eclipse.aether.graph.Dependency;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sonatype.plexus.components.cipher.DefaultPlexusCipher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * settings.xml as Maven reads it, used for real requests: credentials with a password encrypted as
 * {@code mvn --encrypt-password} does (master password in settings-security.xml), and an HTTP proxy.
 */
class MavenSettingsTest {

    @TempDir
    Path dir;

    private List<Dependency> app() {
        return List.of(new Dependency(Coordinates.parse("test.lib:app:1.0"), "runtime"));
    }

    @Test
    void anEncryptedServerPasswordIsDecryptedAndSentToTheMirrorWithTheServersId() throws Exception {
        try (TestRepository secured = new TestRepository(dir.resolve("remote"))
                .deploy("test.lib:app:1.0", "test.lib:util:2.0").deploy("test.lib:util:2.0")) {
            String url = secured.serve("deployer", "s3cret");
            DefaultPlexusCipher cipher = new DefaultPlexusCipher();
            // Maven's scheme: the master password is encrypted with the fixed key "settings.security"
            Path security = Files.writeString(dir.resolve("settings-security.xml"), "<settingsSecurity><master>"
                    + cipher.encryptAndDecorate("master-pw", "settings.security") + "</master></settingsSecurity>");
            String mirror = "<mirrors><mirror><id>secured</id><mirrorOf>*</mirrorOf><url>" + url + "</url></mirror></mirrors>";
            Path settings = Files.writeString(dir.resolve("settings.xml"), "<settings><localRepository>"
                    + dir.resolve("local") + "</localRepository>" + mirror
                    + "<servers><server><id>secured</id><username>deployer</username><password>"
                    + cipher.encryptAndDecorate("s3cret", "master-pw") + "</password></server></servers></settings>");
            try (LibraryResolver resolver = new LibraryResolver(MavenSettings.load(settings, null, security))) {
                assertEquals(2, resolver.resolve(app(), List.of(), List.of(), null).size());
            }
            assertEquals(2, secured.jarsServed());

            Path anonymous = Files.writeString(dir.resolve("anonymous.xml"), "<settings><localRepository>"
                    + dir.resolve("local2") + "</localRepository>" + mirror + "</settings>");
            try (LibraryResolver resolver = new LibraryResolver(MavenSettings.load(anonymous, null, security))) {
                assertThrows(LibraryException.class, () -> resolver.resolve(app(), List.of(), List.of(), null));
            }
        }
    }

    @Test
    void repositoriesAreReachedThroughTheActiveProxy() throws Exception {
        try (TestRepository proxy = new TestRepository(dir.resolve("remote"))
                .deploy("test.lib:app:1.0", "test.lib:util:2.0").deploy("test.lib:util:2.0")) {
            int port = Integer.parseInt(proxy.serve().replaceAll(".*:(\\d+)/$", "$1"));
            Path settings = Files.writeString(dir.resolve("settings.xml"), "<settings><localRepository>"
                    + dir.resolve("local") + "</localRepository><proxies><proxy><id>p</id><active>true</active>"
                    + "<protocol>http</protocol><host>127.0.0.1</host><port>" + port + "</port></proxy></proxies>"
                    + "<mirrors><mirror><id>behind-proxy</id><mirrorOf>*</mirrorOf>"
                    + "<url>http://repository.invalid/</url></mirror></mirrors></settings>");
            try (LibraryResolver resolver = new LibraryResolver(MavenSettings.load(settings, null, dir.resolve("none")))) {
                assertEquals(2, resolver.resolve(app(), List.of(), List.of(), null).size());
            }
            assertTrue(proxy.proxied(), "the requests came in a proxy's form");
        }
    }

    @Test
    void theRepositoriesOfActiveProfilesAreSearchedAfterCentral() throws Exception {
        try (TestRepository company = new TestRepository(dir.resolve("company")).deploy("test.company:only-here:1.0");
             TestRepository empty = new TestRepository(Files.createDirectories(dir.resolve("empty")))) {
            String url = company.serve();
            Path settings = Files.writeString(dir.resolve("settings.xml"), "<settings><localRepository>"
                    + dir.resolve("local") + "</localRepository><profiles>"
                    + "<profile><id>company</id><repositories><repository><id>company</id><url>" + url
                    + "</url></repository></repositories></profile>"
                    + "<profile><id>dormant</id><repositories><repository><id>dormant</id><url>http://dormant.invalid/"
                    + "</url></repository></repositories></profile>"
                    + "</profiles><activeProfiles><activeProfile>company</activeProfile></activeProfiles>"
                    // Central mirrored to an empty repository on this machine: the artifact can only come from the profile's
                    + "<mirrors><mirror><id>m</id><mirrorOf>central</mirrorOf><url>" + empty.serve() + "</url></mirror></mirrors>"
                    + "</settings>");
            try (LibraryResolver resolver = new LibraryResolver(MavenSettings.load(settings, null, dir.resolve("none")))) {
                assertEquals(List.of("central", "company"), resolver.repositories().stream().map(r -> r.getId()).toList());
                List<Dependency> only = List.of(new Dependency(Coordinates.parse("test.company:only-here:1.0"), "runtime"));
                assertEquals(1, resolver.resolve(only, List.of(), List.of(), null).size());
            }
            assertEquals(1, company.jarsServed());
        }
    }

    @Test
    void aBrokenSettingsFileIsReportedWithItsName() throws Exception {
        Path settings = Files.writeString(dir.resolve("settings.xml"), "<settings><mirrors><mirror>");
        LibrarySettingsException e = assertThrows(LibrarySettingsException.class,
                () -> MavenSettings.load(settings, null, dir.resolve("none")));
        assertTrue(e.getMessage().startsWith("cannot read Maven settings " + settings), e.getMessage());
    }
}
