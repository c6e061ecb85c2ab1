package org.jparallel.jshell;

import org.jparallel.internal.shm.SharedMemory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The JDK's own {@code jshell} with {@code --execution jparallel}, driven through its standard input as a user
 * types: a method, a record and variables declared at the prompt run on two worker JVMs, and a redefinition of the
 * method is seen by the next map. The tool runs on the test JVM's JDK and class path; nothing it started is left.
 */
class JShellEngineIT {

    private static final long LIMIT_S = 60;

    /** What is typed; every line the test reads starts with '@' and a name, and holds only numbers after it. */
    private static final String TYPED = String.join("\n",
            "import org.jparallel.api.*;",
            "int sq(int x) { return x * x; }",
            "record Square(int x, int value, long pid) {}",
            "int offset = 1000;",
            // both elements wait for each other: they can only pass on two workers at once
            "var bothRunning = Shared.barrier(2, java.time.Duration.ofSeconds(30));",
            "var pool = WorkerPool.start(2).awaitReady();",
            "System.out.println(\"@jshell \" + ProcessHandle.current().pid());",
            "pool.status().forEach(w -> System.out.println(\"@worker \" + w.pid()));",
            "pool.map(x -> { bothRunning.await(); return new Square(x, sq(x) + offset, ProcessHandle.current().pid()); },"
                    + " List.of(2, 3), 1).forEach(s -> System.out.println(\"@first \" + s.x() + \" \" + s.value() + \" \" + s.pid()));",
            "int sq(int x) { return x * x * x; }",
            "pool.map(x -> new Square(x, sq(x) + offset, ProcessHandle.current().pid()), List.of(2, 3, 4))"
                    + ".forEach(s -> System.out.println(\"@second \" + s.x() + \" \" + s.value() + \" \" + s.pid()));",
            "pool.close();",
            "pool.join();",
            "bothRunning.close();",
            "/exit",
            "");

    private static final Pattern LINE = Pattern.compile("@(jshell|worker|first|second)((?: \\d+)+)$", Pattern.MULTILINE);

    @Test
    void methodsRecordsAndVariablesTypedAtThePromptRunOnWorkersAndARedefinitionIsSeen(@TempDir Path dir) throws Exception {
        String classpath = System.getProperty("java.class.path");
        Path out = dir.resolve("jshell.out");
        Set<ProcessHandle> before = ProcessHandle.current().descendants().collect(Collectors.toSet());
        Process jshell = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jshell").toString(),
                "-J-XX:+UseSerialGC", "-J-XX:TieredStopAtLevel=1", "-J--class-path", "-J" + classpath,
                "--class-path", classpath, "--execution", "jparallel", "--feedback", "concise")
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        Set<Long> workers = new HashSet<>();
        try {
            try (OutputStream in = jshell.getOutputStream()) {
                in.write(TYPED.getBytes(StandardCharsets.UTF_8));
            }
            if (!jshell.waitFor(LIMIT_S, TimeUnit.SECONDS)) {
                fail("jshell did not exit within " + LIMIT_S + " s; it printed:\n" + Files.readString(out));
            }
            String printed = Files.readString(out);
            List<long[]> jshellPid = numbers(printed, "jshell");
            List<long[]> workerPids = numbers(printed, "worker");
            workerPids.forEach(w -> workers.add(w[0]));
            assertEquals(1, jshellPid.size(), printed);
            assertEquals(jshell.pid(), jshellPid.get(0)[0], "snippets run in the jshell tool's JVM: " + printed);
            assertEquals(2, workers.size(), "two workers: " + printed);
            assertFalse(workers.contains(jshell.pid()) || workers.contains(ProcessHandle.current().pid()), printed);

            List<long[]> first = numbers(printed, "first");
            assertEquals(List.of("2 1004", "3 1009"), valuesOf(first), printed);
            assertEquals(workers, ranOn(first), "each element of the first map on its own worker: " + printed);
            List<long[]> second = numbers(printed, "second");
            assertEquals(List.of("2 1008", "3 1027", "4 1064"), valuesOf(second), "the redefined sq: " + printed);
            assertTrue(workers.containsAll(ranOn(second)), printed);
            assertEquals(0, jshell.exitValue(), printed);
        } finally {
            endAll(jshell, workers, before);
        }
        for (long pid : workers) {
            assertEquals(List.of(), SharedMemory.segmentsCreatedBy(pid), "left by worker " + pid);
        }
        assertEquals(List.of(), SharedMemory.segmentsCreatedBy(jshell.pid()), "left by jshell");
    }

    private static List<long[]> numbers(String printed, String name) {
        List<long[]> rows = new ArrayList<>();
        Matcher m = LINE.matcher(printed);
        while (m.find()) {
            if (m.group(1).equals(name)) {
                rows.add(Arrays.stream(m.group(2).trim().split(" ")).mapToLong(Long::parseLong).toArray());
            }
        }
        return rows;
    }

    private static List<String> valuesOf(List<long[]> rows) {
        return rows.stream().map(r -> r[0] + " " + r[1]).toList();
    }

    private static Set<Long> ranOn(List<long[]> rows) {
        Set<Long> pids = new HashSet<>();
        rows.forEach(r -> pids.add(r[2]));
        return pids;
    }

    /**
     * Waits for jshell and its workers to end (killing what is left once the test has failed), then checks that no
     * process the test started is alive.
     */
    private static void endAll(Process jshell, Set<Long> workers, Set<ProcessHandle> before) throws Exception {
        if (jshell.isAlive()) { // the test failed already: end what is left
            jshell.descendants().forEach(ProcessHandle::destroyForcibly);
            jshell.destroyForcibly();
        }
        jshell.onExit().get(LIMIT_S, TimeUnit.SECONDS);
        for (long pid : workers) {
            Optional<ProcessHandle> worker = ProcessHandle.of(pid);
            if (worker.isPresent()) {
                try {
                    worker.get().onExit().get(LIMIT_S, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    worker.get().destroyForcibly();
                    fail("worker " + pid + " outlived jshell");
                }
            }
        }
        List<ProcessHandle> left = ProcessHandle.current().descendants()
                .filter(p -> p.isAlive() && !before.contains(p)).toList();
        assertEquals(List.of(), left, "processes left by the test");
    }
}
