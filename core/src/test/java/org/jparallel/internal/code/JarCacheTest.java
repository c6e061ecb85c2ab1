package org.jparallel.internal.code;

import org.jparallel.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JarCacheTest {

    @TempDir
    Path dir;

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private List<String> files(Path directory) throws IOException {
        try (Stream<Path> list = Files.list(directory)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aJarIsStoredUnderItsSha256OwnerOnly() throws Exception {
        byte[] content = "not really a jar, but bytes all the same".getBytes(StandardCharsets.UTF_8);
        Path jar = Files.write(dir.resolve("lib.jar"), content);
        JarCache cache = new JarCache(dir.resolve("cache/jparallel/jars"));

        ClasspathJar added = cache.add(jar);

        assertEquals(new ClasspathJar(jar.toString(), sha256(content), content.length,
                cache.directory().resolve(sha256(content) + ".jar")), added);
        assertEquals("rwx------", mode(cache.directory()));
        assertEquals("rw-------", mode(added.file()));
        assertEquals(List.of(".lock", sha256(content) + ".jar"), files(cache.directory()), "no temporary file left");
        assertEquals(added.file(), cache.find(added.sha256()));
    }

    @Test
    void anExistingDirectoryIsMadeOwnerOnly() throws Exception {
        Path existing = Files.createDirectories(dir.resolve("jars"));
        Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rwxr-xr-x"));
        new JarCache(existing);
        assertEquals("rwx------", mode(existing));
    }

    @Test
    void aCorruptCachedFileIsNotFoundAndIsDeleted() throws Exception {
        JarCache cache = new JarCache(dir.resolve("jars"));
        ClasspathJar added = cache.add(Files.writeString(dir.resolve("a.jar"), "the real content"));
        Files.writeString(added.file(), "the real contenT"); // one bit flipped on disk

        assertNull(cache.find(added.sha256()));
        assertFalse(Files.exists(added.file()));

        assertEquals(added, cache.add(dir.resolve("a.jar")), "added again, it is whole again");
        assertEquals(added.file(), cache.find(added.sha256()));
    }

    @Test
    void bytesWithAnotherDigestAreRefusedAndLeaveNothing() throws Exception {
        JarCache cache = new JarCache(dir.resolve("jars"));
        String expected = sha256("expected".getBytes(StandardCharsets.UTF_8));
        IOException refused = assertThrows(IOException.class, () -> cache.locked(() ->
                cache.store("x.jar", expected, out -> out.write("received".getBytes(StandardCharsets.UTF_8)))));
        assertTrue(refused.getMessage().contains(sha256("received".getBytes(StandardCharsets.UTF_8)))
                && refused.getMessage().contains(expected), refused.getMessage());
        assertEquals(List.of(".lock"), files(cache.directory()));
    }

    @Test
    void aWriteThatFailsHalfWayLeavesNothing() throws Exception {
        JarCache cache = new JarCache(dir.resolve("jars"));
        assertThrows(IOException.class, () -> cache.locked(() -> cache.store("x.jar", null, out -> {
            out.write(new byte[100_000]);
            throw new IOException("the connection broke");
        })));
        assertEquals(List.of(".lock"), files(cache.directory()));
    }

    @Test
    void whatAWriterThatDiedLeftIsDeletedByTheNextHolderOfTheLock() throws Exception {
        JarCache cache = new JarCache(dir.resolve("jars"));
        Files.writeString(cache.directory().resolve(".incoming-123.tmp"), "half a jar");
        cache.locked(() -> null);
        assertEquals(List.of(".lock"), files(cache.directory()));
    }

    @Test
    void theLockKeepsASecondHolderOutUntilTheFirstLetsGo() throws Exception {
        JarCache cache = new JarCache(dir.resolve("jars"));
        JarCache sameDirectory = new JarCache(dir.resolve("jars"));
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch firstIn = new CountDownLatch(1);
        AtomicBoolean secondIn = new AtomicBoolean();
        Thread first = new Thread(() -> {
            try {
                cache.locked(() -> {
                    firstIn.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                    return null;
                });
            } catch (IOException | RuntimeException e) {
                throw new RuntimeException(e);
            }
        });
        first.start();
        firstIn.await();
        Thread second = new Thread(() -> {
            try {
                sameDirectory.locked(() -> {
                    secondIn.set(true);
                    return null;
                });
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        second.start();
        Await.until("the second holder waits", Duration.ofSeconds(10), () -> second.getState() == Thread.State.BLOCKED);
        assertFalse(secondIn.get());
        release.countDown();
        second.join(10_000);
        first.join(10_000);
        assertTrue(secondIn.get());
    }

    @Test
    void aDirectoryIsPackedTheSameWayWhateverItsFilesTimes() throws Exception {
        Path one = classDirectory("one", FileTime.fromMillis(1_000_000_000_000L));
        Path two = classDirectory("two", FileTime.fromMillis(1_700_000_000_000L));
        JarCache cache = new JarCache(dir.resolve("jars"));

        ClasspathJar first = cache.add(one);
        ClasspathJar second = cache.add(two);
        assertEquals(first.sha256(), second.sha256());
        assertEquals(one.toString(), first.name());

        Files.writeString(two.resolve("pkg/data.txt"), "other data");
        assertNotEquals(first.sha256(), cache.add(two).sha256());

        try (URLClassLoader loader = new URLClassLoader(new URL[] {first.file().toUri().toURL()}, null);
             InputStream in = loader.getResourceAsStream("pkg/data.txt")) {
            assertEquals("some data", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private Path classDirectory(String name, FileTime time) throws IOException {
        Path root = Files.createDirectories(dir.resolve(name));
        Path data = Files.writeString(Files.createDirectories(root.resolve("pkg")).resolve("data.txt"), "some data");
        Files.writeString(root.resolve("top.txt"), "top");
        for (Path p : List.of(data, root.resolve("pkg"), root.resolve("top.txt"))) {
            Files.setLastModifiedTime(p, time);
        }
        return root;
    }

    @Test
    void aMissingEntryIsRefusedByName() throws Exception {
        JarCache cache = new JarCache(dir.resolve("jars"));
        IOException missing = assertThrows(IOException.class, () -> cache.add(dir.resolve("nowhere.jar")));
        assertTrue(missing.getMessage().contains("nowhere.jar"), missing.getMessage());
    }
}
