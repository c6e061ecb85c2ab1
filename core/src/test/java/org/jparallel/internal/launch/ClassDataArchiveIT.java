package org.jparallel.internal.launch;

import org.jparallel.internal.wire.Message;
import org.jparallel.internal.wire.MessageCodec;
import org.jparallel.internal.wire.PeerAuthentication;
import org.jparallel.internal.wire.WireServer;
import org.jparallel.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real workers on the built jars (core/target), with an archive directory of the test's own: the archive is made
 * after the first worker, used by the next, and one that is cut short, garbage, or another JDK's never stops a
 * worker from starting.
 */
class ClassDataArchiveIT {

    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration MAKE = Duration.ofSeconds(180);

    @TempDir
    Path dir;
    private Path store;
    private String classpath;
    private WireServer wire;
    private final byte[] secret = PeerAuthentication.newSecret();
    private final Set<Integer> greeted = ConcurrentHashMap.newKeySet();
    private String enabledBefore;
    private String directoryBefore;

    @BeforeEach
    void workersOnTheBuiltJars() throws IOException {
        Path jar = Path.of("target", "jparallel-core.jar").toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), "run through mvn verify: the IT needs the packaged " + jar);
        List<String> entries = new ArrayList<>(List.of(jar.toString()));
        try (Stream<Path> libs = Files.list(jar.resolveSibling("lib"))) {
            libs.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(p -> entries.add(p.toString()));
        }
        classpath = String.join(File.pathSeparator, entries);
        store = dir.resolve("archives");
        enabledBefore = System.clearProperty(ClassDataArchive.ENABLED_PROPERTY);
        directoryBefore = System.setProperty(ClassDataArchive.DIRECTORY_PROPERTY, store.toString());
        wire = new WireServer(secret, new MessageCodec(), new WireServer.Listener() {
            @Override
            public void onMessage(int peer, Message message) {
                if (message instanceof Message.Hello) {
                    greeted.add(peer);
                }
            }

            @Override
            public void onClosed(int peer) {
            }
        }, "archive-it-wire");
    }

    @AfterEach
    void restore() {
        wire.close();
        restore(ClassDataArchive.ENABLED_PROPERTY, enabledBefore);
        restore(ClassDataArchive.DIRECTORY_PROPERTY, directoryBefore);
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }

    @Test
    void theFirstWorkerTrainsTheArchiveThatTheNextOneStartsFrom() throws Exception {
        Path archive = makeArchive();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(archive)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store)));
        assertEquals(List.of(archive.getFileName().toString()), names(store), "nothing but the archive is left");

        Path classes = dir.resolve("loaded.log");
        List<String> command = startAndStop(2, List.of("-Xlog:class+load:file=" + classes));
        assertTrue(command.contains("-XX:SharedArchiveFile=" + archive), command.toString());
        String workerMain = Files.readAllLines(classes).stream()
                .filter(l -> l.contains(" org.jparallel.internal.worker.WorkerMain ")).findFirst().orElseThrow();
        assertTrue(workerMain.contains("source: shared objects file"), workerMain);
    }

    @Test
    void anArchiveCutShortIsLeftAloneAndMadeAgain() throws Exception {
        Path archive = makeArchive();
        long size = Files.size(archive);
        try (FileChannel file = FileChannel.open(archive, StandardOpenOption.WRITE)) {
            file.truncate(size / 2); // a JDK 17 JVM that maps it dies of SIGBUS
        }
        List<String> command = startAndStop(2, List.of());
        assertTrue(command.stream().noneMatch(o -> o.startsWith("-XX:SharedArchiveFile")), command.toString());
        assertTrue(command.stream().anyMatch(o -> o.startsWith("-XX:DumpLoadedClassList=")), command.toString());
        ClassDataArchive again = ClassDataArchive.of(java(), store, List.of(classpath.split(File.pathSeparator)));
        assertNotNull(again);
        // made from another worker's class list, it may have another size, and so another name
        Await.until("the archive made again, alone", MAKE,
                () -> again.usable() != null && names(store).size() == 1 && !again.making());
        assertTrue(Files.size(again.usable()) > size / 2);
    }

    @Test
    void garbageOrAnotherJdksArchiveUnderTheArchivesNameDoesNotStopAWorker() throws Exception {
        List<Path> impostors = new ArrayList<>();
        impostors.add(Files.write(dir.resolve("garbage"), "not an archive, but a file of the right size".getBytes()));
        for (String jdk : List.of("/usr/lib/jvm/temurin-25-jdk-amd64", "/usr/lib/jvm/java-17-openjdk-amd64")) {
            Path other = Path.of(jdk, "lib", "server", "classes.jsa");
            if (Files.isReadable(other) && !Path.of(jdk).toRealPath().equals(Path.of(System.getProperty("java.home")).toRealPath())) {
                impostors.add(other);
            }
        }
        assertTrue(impostors.size() >= 2, "this machine has a second JDK to take an archive from: " + impostors);
        Files.createDirectories(store);
        int peer = 10;
        for (Path impostor : impostors) {
            ClassDataArchive archive = ClassDataArchive.of(java(), store, List.of(classpath.split(File.pathSeparator)));
            assertNotNull(archive);
            Path named = Files.copy(impostor, archive.file(Files.size(impostor)));
            List<String> command = startAndStop(peer++, List.of());
            assertTrue(command.contains("-XX:SharedArchiveFile=" + named), command.toString());
            Files.delete(named);
        }
    }

    /** Starts a worker and ends it once it said hello; returns its command line. */
    private List<String> startAndStop(int peer, List<String> options) throws Exception {
        WorkerLauncher.Launched launched = new WorkerLauncher(classpath, options).launch(wire.port(), peer, 0, "w", secret);
        Process process = launched.process();
        try {
            Await.until("worker " + peer + " says hello", START, () -> greeted.contains(peer) || !process.isAlive());
            assertTrue(greeted.contains(peer), () -> "the worker ended before it said hello, exit code " + process.exitValue());
            return List.of(process.info().arguments().orElseThrow());
        } finally {
            launched.stdin().close(); // the worker halts at the end of its standard input
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** The first worker writes its class list; once it ended, the archive is made. */
    private Path makeArchive() throws Exception {
        List<String> command = startAndStop(1, List.of());
        assertTrue(command.stream().anyMatch(o -> o.startsWith("-XX:DumpLoadedClassList=" + store)), command.toString());
        ClassDataArchive archive = ClassDataArchive.of(java(), store, List.of(classpath.split(File.pathSeparator)));
        assertNotNull(archive);
        // its maker ends a moment after the archive appears; until then no worker is trained for another
        Await.until("the archive made", MAKE, () -> archive.usable() != null && names(store).size() == 1 && !archive.making());
        return archive.usable();
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static List<String> names(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
