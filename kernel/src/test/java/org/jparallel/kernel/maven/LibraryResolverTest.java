package org.jparallel.kernel.maven;

import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.transfer.AbstractTransferListener;
import org.eclipse.aether.transfer.TransferEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Maven Resolver against a real repository served over HTTP on 127.0.0.1 (no network): transitive
 * dependencies, the local repository, settings.xml mirrors and offline mode, and each failure's type.
 */
class LibraryResolverTest {

    @TempDir
    Path dir;
    private TestRepository remote;
    private String url;

    @BeforeEach
    void repository() throws IOException {
        remote = new TestRepository(dir.resolve("remote"))
                .deploy("test.lib:app:1.0", "test.lib:util:2.0")
                .deploy("test.lib:util:2.0")
                .deploy("test.lib:util:1.0")
                .deploy("test.lib:old-app:1.0", "test.lib:util:1.0");
        url = remote.serve();
    }

    @AfterEach
    void stop() {
        remote.close();
    }

    /** Settings whose mirror stands for Maven Central, so nothing leaves this machine. */
    private MavenSettings settings(boolean offline) throws IOException {
        Path file = dir.resolve(offline ? "offline.xml" : "settings.xml");
        Files.writeString(file, "<settings><localRepository>" + dir.resolve("local") + "</localRepository>"
                + "<offline>" + offline + "</offline>"
                + "<mirrors><mirror><id>test-mirror</id><mirrorOf>central</mirrorOf><url>" + url + "</url></mirror></mirrors>"
                + "</settings>");
        return MavenSettings.load(file, null, dir.resolve("no-security.xml"));
    }

    private static List<Dependency> deps(String... coordinates) {
        return java.util.Arrays.stream(coordinates).map(c -> new Dependency(Coordinates.parse(c), "runtime")).toList();
    }

    @Test
    void resolvesTransitivelyThroughTheMirrorIntoTheLocalRepositoryThenFindsItThere() throws IOException {
        AtomicInteger downloads = new AtomicInteger();
        AbstractTransferListener counting = new AbstractTransferListener() {
            @Override
            public void transferSucceeded(TransferEvent event) {
                downloads.incrementAndGet();
            }
        };
        try (LibraryResolver resolver = new LibraryResolver(settings(false))) {
            List<ResolvedJar> jars = resolver.resolve(deps("test.lib:app:1.0"), List.of(), List.of(), counting);
            assertEquals(List.of("test.lib:app:jar:1.0", "test.lib:util:jar:2.0"),
                    jars.stream().map(j -> j.artifact().toString()).toList());
            assertTrue(jars.stream().allMatch(ResolvedJar::downloaded), jars.toString());
            assertTrue(jars.get(0).file().startsWith(dir.resolve("local")), jars.get(0).file().toString());
            assertEquals(2, remote.jarsServed());
            assertTrue(downloads.get() >= 4, "POMs and jars reported to the listener: " + downloads.get());

            List<ResolvedJar> again = resolver.resolve(deps("test.lib:app:1.0"), List.of(), List.of(), null);
            assertFalse(again.stream().anyMatch(ResolvedJar::downloaded), again.toString());
            assertEquals(2, remote.jarsServed());
        }
        try (LibraryResolver offline = new LibraryResolver(settings(true))) {
            List<ResolvedJar> jars = offline.resolve(deps("test.lib:app:1.0"), List.of(), List.of(), null);
            assertEquals(2, jars.size());
            assertEquals(2, remote.jarsServed());
        }
    }

    @Test
    void anArtifactNoRepositoryHasIsAnUnknownArtifact() throws IOException {
        try (LibraryResolver resolver = new LibraryResolver(settings(false))) {
            UnknownArtifactException e = assertThrows(UnknownArtifactException.class,
                    () -> resolver.resolve(deps("test.lib:nothing:1.0"), List.of(), List.of(), null));
            assertTrue(e.getMessage().contains("test.lib:nothing") && e.getMessage().contains("was not found in test-mirror ("
                    + url + ")"), e.getMessage());
            assertEquals(1, e.getMessage().lines().count());
        }
    }

    @Test
    void offlineAnArtifactOutsideTheLocalRepositoryIsUnknownAndSaysSo() throws IOException {
        try (LibraryResolver resolver = new LibraryResolver(settings(true))) {
            UnknownArtifactException e = assertThrows(UnknownArtifactException.class,
                    () -> resolver.resolve(deps("test.lib:app:1.0"), List.of(), List.of(), null));
            assertTrue(e.getMessage().contains("test.lib:app") && e.getMessage().contains("offline"), e.getMessage());
            assertEquals(0, remote.jarsServed());
        }
    }

    @Test
    void aRepositoryThatRefusesConnectionsIsUnreachableAndNamed() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String dead = "http://127.0.0.1:" + port + "/repo/";
        try (LibraryResolver resolver = new LibraryResolver(settings(false))) {
            resolver.addRepository("dead", dead);
            RepositoryUnreachableException e = assertThrows(RepositoryUnreachableException.class,
                    () -> resolver.resolve(deps("test.lib:nothing:1.0"), List.of(), List.of(), null));
            assertTrue(e.getMessage().startsWith("cannot reach repository dead at " + dead), e.getMessage());
        }
    }

    @Test
    void aFileRepositoryAddedLikeMavenRepoIsSearched() throws IOException {
        TestRepository files = new TestRepository(dir.resolve("files")).deploy("test.file:only-here:3.1");
        try (LibraryResolver resolver = new LibraryResolver(settings(false))) {
            resolver.addRepository("files", files.fileUrl());
            List<ResolvedJar> jars = resolver.resolve(deps("test.file:only-here:3.1"), List.of(), List.of(), null);
            assertEquals("test.file:only-here:jar:3.1", jars.get(0).artifact().toString());
            resolver.removeRepository("files");
            assertThrows(BadRepositoryException.class, () -> resolver.removeRepository("files"));
            assertThrows(BadRepositoryException.class, () -> resolver.addRepository("x", "ftp://example.org/"));
        }
    }

    @Test
    void aSecondVersionOfALoadedLibraryIsAConflictNamingBothJars() throws IOException {
        try (LibraryResolver resolver = new LibraryResolver(settings(false))) {
            LoadedLibraries loaded = new LoadedLibraries(List.of());
            List<ResolvedJar> first = resolver.resolve(deps("test.lib:app:1.0"), List.of(), List.of(), null);
            List<Path> classpath = first.stream().map(ResolvedJar::file).toList();
            assertEquals(first, loaded.notYetLoaded(first, List.of()));
            loaded.recordResolved(first);
            assertEquals(List.of(), loaded.notYetLoaded(first, classpath));

            List<ResolvedJar> old = resolver.resolve(deps("test.lib:old-app:1.0"), List.of(), List.of(), null);
            LibraryConflictException e = assertThrows(LibraryConflictException.class,
                    () -> loaded.notYetLoaded(old, classpath));
            assertTrue(e.getMessage().contains("util-1.0.jar") && e.getMessage().contains("util/2.0/util-2.0.jar"),
                    e.getMessage());
        }
    }

    @Test
    void twoVersionsOfOneLibraryInOneRequestAreAConflict() throws IOException {
        try (LibraryResolver resolver = new LibraryResolver(settings(false))) {
            LibraryConflictException e = assertThrows(LibraryConflictException.class, () -> resolver.resolve(
                    deps("test.lib:util:1.0", "test.lib:app:1.0", "test.lib:util:2.0"), List.of(), List.of(), null));
            assertEquals("test.lib:util is asked for twice, as 1.0 and as 2.0: one version of a library can be loaded",
                    e.getMessage());
            assertEquals(0, remote.jarsServed());
        }
    }

    @Test
    void anotherVersionOfAKernelJarIsAddedAndNamed() throws IOException {
        try (LibraryResolver resolver = new LibraryResolver(settings(false))) {
            Path kernelUtil = resolver.resolve(deps("test.lib:util:1.0"), List.of(), List.of(), null).get(0).file();
            LoadedLibraries loaded = new LoadedLibraries(List.of(kernelUtil));
            List<ResolvedJar> app = resolver.resolve(deps("test.lib:app:1.0"), List.of(), List.of(), null);
            assertEquals(app, loaded.notYetLoaded(app, List.of()));
            assertEquals(List.of("test.lib:util:2.0 (util-2.0.jar): the kernel has version 1.0 (util-1.0.jar), whose "
                    + "classes the notebook sees; workers use 2.0"), loaded.shadowedByKernel(app));
            List<ResolvedJar> same = resolver.resolve(deps("test.lib:util:1.0"), List.of(), List.of(), null);
            assertEquals(List.of(), loaded.shadowedByKernel(same));
        }
    }

    @Test
    void aJarAddedByPathIsKnownByItsPomProperties() throws IOException {
        try (LibraryResolver resolver = new LibraryResolver(settings(false))) {
            List<ResolvedJar> util1 = resolver.resolve(deps("test.lib:util:1.0"), List.of(), List.of(), null);
            Path copied = Files.copy(util1.get(0).file(), dir.resolve("util-copy.jar"));
            List<ResolvedJar> util2 = resolver.resolve(deps("test.lib:util:2.0"), List.of(), List.of(), null);
            assertThrows(LibraryConflictException.class, () -> new LoadedLibraries(List.of()).notYetLoaded(util2, List.of(copied)));
        }
    }
}
