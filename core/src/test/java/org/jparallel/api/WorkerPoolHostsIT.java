package org.jparallel.api;

import org.jparallel.testing.Await;
import org.jparallel.testing.OnWorker;
import org.jparallel.testing.TestHosts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@link WorkerPool} with workers on the test hosts {@code alpha} and {@code beta} (network namespaces with an
 * sshd each, {@code .ci/hosts.sh up}: {@link TestHosts}), started by {@link WorkerPool.Builder#host}: results come
 * from PIDs living in those namespaces, nothing secret is on a command line, an unreachable host fails the start
 * in words within seconds, a host whose link goes down loses its workers and their tasks run elsewhere, and a
 * killed kernel leaves nothing on any host.
 */
class WorkerPoolHostsIT {

    /** The limit for what a gone kernel leaves running on any host. */
    private static final Duration GONE_LIMIT = Duration.ofSeconds(10);
    /** What "within seconds" is for a failing ssh: its connect timeout is 10 s, a refused port fails at once. */
    private static final Duration FAIL_LIMIT = Duration.ofSeconds(12);

    private static TestHosts hosts;

    @BeforeAll
    static void hostsUp() {
        hosts = TestHosts.require();
    }

    private WorkerPool.Builder builder() {
        return WorkerPool.builder().sshOption("-F", hosts.sshConfig().toString());
    }

    @Test
    void aPoolAcrossBothHostsMapsALambdaOnWorkersLivingInTheirNamespaces() throws Exception {
        try (WorkerPool pool = builder().workers(1).host("alpha", 2).host("beta", 1).start().awaitReady()) {
            Map<Long, String> hostOf = new HashMap<>();
            for (WorkerStatus row : pool.status()) {
                hostOf.put(row.pid(), row.host());
            }
            assertEquals(List.of("localhost", "alpha", "alpha", "beta"), pool.status().stream().map(WorkerStatus::host).toList());
            // this JVM listens on loopback and on the address each host is routed through, on no wildcard
            List<String> listening = run("ss", "-Hltnp").lines().filter(l -> l.contains("pid=" + ProcessHandle.current().pid() + ","))
                    .map(l -> l.trim().split("\\s+")[3]).toList();
            for (String host : List.of("alpha", "beta")) {
                String address = hosts.kernelAddress(host).getHostAddress();
                assertTrue(listening.stream().anyMatch(a -> a.contains(address + "]:") || a.startsWith(address + ":")),
                        "listening on " + address + " for " + host + ": " + listening);
            }
            assertFalse(listening.stream().anyMatch(a -> a.startsWith("0.0.0.0:") || a.startsWith("*:") || a.startsWith("[::]:")),
                    "this JVM listens on a wildcard address: " + listening);
            for (Map.Entry<Long, String> worker : hostOf.entrySet()) {
                String expected = worker.getValue().equals(WorkerStatus.LOCAL) ? "" : hosts.netns(worker.getValue());
                assertEquals(expected, identify(worker.getKey()), "the namespace of " + worker);
            }
            // each element sleeps, so that every worker gets some: 4 workers, 40 elements of 1
            List<String> results = pool.map(x -> {
                long pid = OnWorker.pidAfter(50);
                return pid + " " + TestHosts.netnsOf(pid);
            }, IntStream.range(0, 40).boxed().toList(), 1);
            Set<String> hostsSeen = new HashSet<>();
            for (String result : results) {
                long pid = Long.parseLong(result.substring(0, result.indexOf(' ')));
                assertTrue(hostOf.containsKey(pid), "a result from a PID that is no worker of the pool: " + result);
                assertEquals(TestHosts.netnsOf(pid), result.substring(result.indexOf(' ') + 1), "the worker's own /proc says so");
                hostsSeen.add(hostOf.get(pid));
            }
            assertTrue(hostsSeen.containsAll(List.of("alpha", "beta")), "results came from " + hostsSeen);
            // the secret and the TLS credentials went on ssh's stdin: no worker's, no ssh's command line has them
            for (long pid : hostOf.keySet()) {
                TestHosts.assertNoSecretOn(pid);
                ProcessHandle.of(pid).flatMap(ProcessHandle::parent).ifPresent(parent -> TestHosts.assertNoSecretOn(parent.pid()));
            }
            for (ProcessHandle child : ProcessHandle.current().children().toList()) {
                TestHosts.assertNoSecretOn(child.pid());
            }
        }
    }

    @Test
    void aHostWithoutACountGetsAWorkerPerProcessorItHas() throws Exception {
        int processors = Integer.parseInt(run("getconf", "_NPROCESSORS_ONLN").strip()); // beta shares this machine's
        try (WorkerPool pool = builder().host("beta").start().awaitReady()) {
            assertEquals(Collections.nCopies(processors, "beta"), pool.status().stream().map(WorkerStatus::host).toList());
        }
    }

    @Test
    void aHostThatDoesNotResolveFailsTheStartWithinSecondsNamingIt() {
        long start = System.nanoTime();
        HostLaunchException e = assertThrows(HostLaunchException.class,
                () -> builder().host("no-such-host.invalid", 1).start().close());
        assertFaster(start, e);
        assertEquals("no-such-host.invalid", e.host());
        assertTrue(e.getMessage().contains("no-such-host.invalid") && e.getMessage().contains("resolve"), e.getMessage());
    }

    @Test
    void aPortNobodyListensOnFailsTheStartWithinSecondsWithSshsWords() {
        long start = System.nanoTime();
        HostLaunchException e = assertThrows(HostLaunchException.class,
                () -> builder().sshOption("-p", "1").host("alpha", 1).start().close());
        assertFaster(start, e);
        assertTrue(e.getMessage().contains("alpha") && e.getMessage().contains("refused"), e.getMessage());
    }

    @Test
    void aWorkerThatCannotReachTheKernelFailsTheStartSayingWhichAddressItTried() {
        // beta's only link is its own veth: the address alpha reaches this machine at is unreachable from there
        String alphaSide = hosts.kernelAddress("alpha").getHostAddress();
        try (WorkerPool pool = builder().host("beta", 1).listen(alphaSide).start()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, pool::awaitReady);
            assertTrue(e.getMessage().contains("on host beta") && e.getMessage().contains(alphaSide + ":"), e.getMessage());
        }
    }

    @Test
    void aHostWhoseLinkGoesDownLosesItsWorkersAndTheirTasksRunElsewhere() throws Exception {
        try (WorkerPool pool = builder().workers(1).host("alpha", 1).start().awaitReady()) {
            long alphaPid = pool.status().get(1).pid();
            PoolRun<Long> run = pool.submit(x -> OnWorker.pidAfter(200), IntStream.range(0, 80).boxed().toList(), RunOptions.defaults().chunkSize(1));
            Await.until("alpha's worker to finish a task", Duration.ofSeconds(60),
                    () -> pool.status().get(1).tasksDone() > 0);
            try {
                ip("link", "set", "jp-alpha-r", "down");
                List<Long> pids = run.get();
                assertEquals(80, pids.size());
                assertTrue(pids.contains(alphaPid), "alpha's worker ran some tasks before its link went down");
                // the task it was running when its link went down is on its row of the run's timeline, run again elsewhere
                assertTrue(run.timeline().rows().stream().filter(r -> r.pid() == alphaPid).flatMap(r -> r.spans().stream())
                        .anyMatch(span -> span.outcome() == RunTimeline.Outcome.RETRIED), run.timeline().toString());
                assertFalse(pool.status().stream().anyMatch(r -> r.pid() == alphaPid && !r.state().equals("dead")),
                        "alpha's worker is still in the pool: " + pool.status());
            } finally {
                ip("link", "set", "jp-alpha-r", "up");
            }
        }
    }

    /**
     * The "kernel" is a JVM of its own, so that it can be SIGKILLed. Its jar cache is a fresh directory and its
     * class path has a jar made for this test, so the hosts' cache (root's, which this machine's shares) lacks
     * that jar: it is copied there through ssh, and the workers run from the hosts' cache alone.
     */
    @Test
    void aKilledKernelLeavesNothingOnEitherHostAndItsClasspathTravelsToTheHostsCache(@TempDir Path temp) throws Exception {
        Set<Long> before = new HashSet<>(namespacePids("alpha"));
        before.addAll(namespacePids("beta"));
        Path fresh = temp.resolve("fresh.jar");
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(fresh))) {
            jar.putNextEntry(new JarEntry("fresh-" + UUID.randomUUID() + ".txt"));
        }
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(fresh)));
        Path hostsCopy = Path.of(System.getProperty("user.home"), ".cache", "jparallel", "jars", sha + ".jar");
        Process kernel = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djparallel.jarCache=" + temp.resolve("cache"),
                "-cp", System.getProperty("java.class.path") + File.pathSeparator + fresh,
                HostsKernelMain.class.getName(), hosts.sshConfig().toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<Long> workers = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(kernel.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null && !line.equals("ready"); line = out.readLine()) {
                String[] words = line.split(" ");
                workers.add(Long.parseLong(words[2]));
                assertEquals(hosts.netns(words[1]), identify(Long.parseLong(words[2])));
            }
            assertEquals(2, workers.size(), "the kernel's workers");
            assertTrue(Files.exists(hostsCopy), "the kernel's jar was copied to the hosts' cache: " + hostsCopy);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(hostsCopy)));
            for (long pid : workers) {
                String line = TestHosts.commandLine(pid);
                String classpath = line.replaceAll(".* -cp (\\S+) .*", "$1");
                for (String entry : classpath.split(File.pathSeparator)) {
                    assertTrue(entry.matches(".*/\\.cache/jparallel/jars/[0-9a-f]{64}\\.jar"),
                            "worker " + pid + "'s class path is the host's cache alone: " + line);
                }
                assertTrue(classpath.contains(sha), "worker " + pid + " has the kernel's jar: " + line);
            }
            kernel.destroyForcibly(); // SIGKILL: no shutdown hook, nothing closed by the kernel itself
            assertTrue(kernel.waitFor(GONE_LIMIT.toSeconds(), TimeUnit.SECONDS));
            Await.until("both hosts to be as they were before the kernel", GONE_LIMIT, () -> {
                Set<Long> now = new HashSet<>(namespacePids("alpha"));
                now.addAll(namespacePids("beta"));
                now.removeAll(before);
                return now.isEmpty();
            });
            for (long pid : workers) {
                assertTrue(ProcessHandle.of(pid).isEmpty(), "worker " + pid + " outlived its kernel");
            }
        } finally {
            kernel.destroyForcibly().waitFor();
            Files.deleteIfExists(hostsCopy);
        }
    }

    private static void assertFaster(long startNanos, Throwable e) {
        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
        assertTrue(took.compareTo(FAIL_LIMIT) < 0, "took " + took + " to say: " + e.getMessage());
    }

    private static List<Long> namespacePids(String host) {
        return Stream.of(run("ip", "netns", "pids", hosts.netns(host)).split("\\s+")).filter(s -> !s.isBlank())
                .map(Long::parseLong).toList();
    }

    private static String identify(long pid) {
        return run("ip", "netns", "identify", Long.toString(pid)).strip();
    }

    private static void ip(String... words) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(words));
        run(command.toArray(String[]::new));
    }

    private static String run(String... command) {
        return TestHosts.run(command);
    }
}
