package org.jparallel.internal.worker;

import org.jparallel.internal.code.ClasspathJar;
import org.jparallel.internal.code.CodeSource;
import org.jparallel.internal.code.JarCache;
import org.jparallel.internal.code.JarShipping;
import org.jparallel.internal.code.PoolClasspath;
import org.jparallel.internal.wire.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A jar's transfer between the kernel's side ({@link JarShipping}, serving its cache) and a worker's
 * ({@link JarFetcher}, filling another cache), the wire left out: each request is answered as the kernel answers.
 */
class JarFetcherTest {

    @TempDir
    Path dir;
    private String cacheBefore;
    private final List<Message.FetchJar> requests = new ArrayList<>();
    private CodeSource kernel;
    private Message.Jar jar;
    private byte[] content;

    @BeforeEach
    void kernelWithAJarOfTwoAndAHalfParts() throws IOException {
        cacheBefore = System.getProperty(JarCache.DIRECTORY_PROPERTY);
        content = new byte[JarShipping.PART_BYTES * 5 / 2];
        new Random(7).nextBytes(content);
        Path original = Files.write(dir.resolve("big.jar"), content);
        useCache("kernel-cache");
        kernel = PoolClasspath.of(CodeSource.PLAIN, List.of(original));
        Message.DefineCode define = kernel.codeAfter(0, 0);
        jar = define.jars().get(0);
        useCache("worker-cache");
    }

    @AfterEach
    void restoreCache() {
        if (cacheBefore == null) {
            System.clearProperty(JarCache.DIRECTORY_PROPERTY);
        } else {
            System.setProperty(JarCache.DIRECTORY_PROPERTY, cacheBefore);
        }
    }

    private void useCache(String name) {
        System.setProperty(JarCache.DIRECTORY_PROPERTY, dir.resolve(name).toString());
    }

    /** A fetcher whose requests the kernel's side answers, each answer changed by {@code inTransit}. */
    private JarFetcher fetcher(UnaryOperator<Message> inTransit) {
        JarFetcher[] fetcher = new JarFetcher[1];
        fetcher[0] = new JarFetcher(message -> {
            requests.add((Message.FetchJar) message);
            JarShipping.answer((Message.FetchJar) message, kernel, answer -> fetcher[0].deliver(inTransit.apply(answer)));
        });
        return fetcher[0];
    }

    private List<String> files(String cache) throws IOException {
        try (Stream<Path> list = Files.list(dir.resolve(cache))) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aMissingJarComesInBoundedPartsOnceAndIsThenFoundInTheCache() throws Exception {
        ClasspathJar got = fetcher(UnaryOperator.identity()).get(jar);

        assertEquals(List.of(0L, (long) JarShipping.PART_BYTES, 2L * JarShipping.PART_BYTES),
                requests.stream().map(Message.FetchJar::offset).toList(), "three parts of at most 1 MiB");
        assertEquals(dir.resolve("worker-cache").resolve(jar.sha256() + ".jar"), got.file());
        assertArrayEquals(content, Files.readAllBytes(got.file()));
        assertEquals(List.of(".lock", jar.sha256() + ".jar"), files("worker-cache"));

        requests.clear();
        assertEquals(got, fetcher(UnaryOperator.identity()).get(jar));
        assertEquals(List.of(), requests, "found in the host's cache: not sent again");
    }

    @Test
    void anAnswerToAFetchGivenUpIsDropped() throws Exception {
        JarFetcher fetcher = fetcher(UnaryOperator.identity());
        fetcher.deliver(new Message.JarPart(jar.sha256(), 3L * JarShipping.PART_BYTES, new byte[] {1}, true));
        fetcher.deliver(new Message.JarRefused("0".repeat(64), "another jar's"));

        assertArrayEquals(content, Files.readAllBytes(fetcher.get(jar).file()));
    }

    @Test
    void aCorruptCachedCopyIsFetchedAgain() throws Exception {
        ClasspathJar got = fetcher(UnaryOperator.identity()).get(jar);
        byte[] damaged = content.clone();
        damaged[12345] ^= 1;
        Files.write(got.file(), damaged);
        requests.clear();

        fetcher(UnaryOperator.identity()).get(jar);

        assertEquals(3, requests.size(), "fetched whole again");
        assertArrayEquals(content, Files.readAllBytes(got.file()));
    }

    @Test
    void bytesDamagedOnTheWayAreRefusedNamingTheJarAndLeaveNothing() throws Exception {
        IllegalStateException failed = assertThrows(IllegalStateException.class, () -> fetcher(answer -> {
            if (answer instanceof Message.JarPart part && part.offset() > 0) {
                byte[] bytes = part.bytes().clone();
                bytes[0] ^= 1;
                return new Message.JarPart(part.sha256(), part.offset(), bytes, part.last());
            }
            return answer;
        }).get(jar));
        assertTrue(failed.getMessage().startsWith("this worker could not get jar " + dir.resolve("big.jar") + " (SHA-256 "
                + jar.sha256().substring(0, 12)), failed.getMessage());
        assertTrue(failed.getMessage().contains("the bytes received have SHA-256"), failed.getMessage());
        assertEquals(List.of(".lock"), files("worker-cache"));
    }

    @Test
    void aJarTheKernelNoLongerHasFailsNamingTheJarAndWhy() throws Exception {
        Files.delete(dir.resolve("kernel-cache").resolve(jar.sha256() + ".jar"));
        IllegalStateException failed = assertThrows(IllegalStateException.class,
                () -> fetcher(UnaryOperator.identity()).get(jar));
        assertTrue(failed.getMessage().contains("big.jar") && failed.getMessage().contains("is gone"),
                failed.getMessage());
        assertEquals(List.of(".lock"), files("worker-cache"));
    }
}
