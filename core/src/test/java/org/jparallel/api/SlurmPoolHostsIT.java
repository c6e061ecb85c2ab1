package org.jparallel.api;

import org.jparallel.internal.manager.ManagedProxy;
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
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@link WorkerPool} whose workers run in a Slurm job ({@link WorkerPool.Builder#slurm}) on the test hosts'
 * one-node cluster ({@code .ci/hosts.sh up}: {@link TestHosts}): results come from PIDs inside the job (their
 * environment says its id, and {@code scontrol listpids} lists them), nothing secret is on a command line or left
 * on disk, closing the pool leaves no job and no process; Slurm's refusal and a job that pends are said in
 * words, with the job cancelled; a killed kernel leaves no job; a worker killed on its node is replaced in the
 * same job; a pool mixes workers here, on an ssh host and in a job.
 */
class SlurmPoolHostsIT {

    /** The limit for what a gone kernel, or a closed pool, leaves in the queue. */
    private static final Duration GONE_LIMIT = Duration.ofSeconds(20);
    /** What "at once" is for a refusal: salloc answers in well under a second on an idle controller. */
    private static final Duration REFUSAL_LIMIT = Duration.ofSeconds(10);

    private static TestHosts hosts;

    @BeforeAll
    static void hostsUp() {
        hosts = TestHosts.require();
    }

    private SlurmJob job(int workers) {
        return SlurmJob.of(workers).partition(hosts.slurmPartition());
    }

    /** What a task sees of itself: its PID and the Slurm job its environment names. */
    record Seen(long pid, String jobId) implements Serializable {
    }

    @Test
    void aPoolThroughSlurmMapsARecordOnWorkersInsideItsJobAndLeavesNothingWhenClosed() throws Exception {
        long start = System.nanoTime();
        List<Long> workers;
        String jobId;
        long closing;
        try (WorkerPool pool = WorkerPool.builder().slurm(job(2)).start().awaitReady()) {
            System.err.printf("a pool of 2 workers through Slurm was ready in %.1f s%n", (System.nanoTime() - start) / 1e9);
            workers = pool.status().stream().map(WorkerStatus::pid).toList();
            assertEquals(List.of(hosts.slurmNode(), hosts.slurmNode()), pool.status().stream().map(WorkerStatus::host).toList());
            List<String> jobs = TestHosts.run("squeue", "-h", "-n", "jparallel", "-o", "%i %T").lines()
                    .filter(l -> l.endsWith(" RUNNING")).map(l -> l.split(" ")[0]).toList();
            List<Seen> seen = pool.map(x -> new Seen(OnWorker.pidAfter(50), System.getenv("SLURM_JOB_ID")),
                    IntStream.range(0, 20).boxed().toList(), 1);
            jobId = seen.get(0).jobId();
            assertTrue(jobs.contains(jobId), "the job the workers' environment names, " + jobId + ", runs: " + jobs);
            Set<Long> listed = new HashSet<>(Stream.of(TestHosts.run("scontrol", "listpids", jobId).split("\n")).skip(1)
                    .map(l -> Long.parseLong(l.strip().split("\\s+")[0])).toList());
            for (Seen s : seen) {
                assertEquals(jobId, s.jobId(), "every task ran in the same job: " + seen);
                assertTrue(workers.contains(s.pid()), "a result from a PID that is no worker of the pool: " + s);
                assertTrue(listed.contains(s.pid()), "scontrol listpids " + jobId + " lists worker " + s.pid() + ": " + listed);
                assertTrue(environment(s.pid()).contains("SLURM_JOB_ID=" + jobId), "worker " + s.pid() + "'s environment");
            }
            // the workers dial the address this machine routes the node through (its NodeAddr here: 127.0.0.1)
            List<String> listening = TestHosts.run("ss", "-Hltnp").lines()
                    .filter(l -> l.contains("pid=" + ProcessHandle.current().pid() + ","))
                    .map(l -> l.trim().split("\\s+")[3]).toList();
            assertTrue(listening.stream().noneMatch(a -> a.startsWith("0.0.0.0:") || a.startsWith("*:") || a.startsWith("[::]:")),
                    "this JVM listens on a wildcard address: " + listening);
            for (long pid : workers) {
                TestHosts.assertNoSecretOn(pid);
            }
            for (ProcessHandle child : ProcessHandle.current().children().toList()) {
                TestHosts.assertNoSecretOn(child.pid()); // salloc and the srun of each worker
            }
            assertEquals(List.of(), credentialFiles(), "each worker deleted its credentials once read");
            String shown = TestHosts.run("scontrol", "show", "job", "--details", jobId);
            assertTrue(!shown.matches("(?s).*[0-9a-fA-F]{32,}.*") && !shown.contains("PRIVATE KEY"),
                    "scontrol shows nothing secret-like: " + shown);
            closing = System.nanoTime();
        }
        Await.until("job " + jobId + " to leave the queue", GONE_LIMIT,
                () -> TestHosts.outputOf("squeue", "-h", "-j", jobId).isBlank());
        for (long pid : workers) {
            Await.until("worker " + pid + " to end", GONE_LIMIT, () -> ProcessHandle.of(pid).isEmpty());
        }
        System.err.printf("closed: job %s and its workers gone %.1f s after close() began%n", jobId,
                (System.nanoTime() - closing) / 1e9);
        assertEquals(List.of(), credentialDirectories(), "the pool's credentials directory is gone");
    }

    @Test
    void aPoolMixesWorkersOnThisMachineOnAnSshHostAndInASlurmJob() throws Exception {
        try (WorkerPool pool = WorkerPool.builder().workers(1).host("alpha", 1).sshOption("-F", hosts.sshConfig().toString())
                .slurm(job(1)).start().awaitReady()) {
            assertEquals(List.of(WorkerStatus.LOCAL, "alpha", hosts.slurmNode()),
                    pool.status().stream().map(WorkerStatus::host).toList());
            long slurmWorker = pool.status().get(2).pid();
            assertTrue(environment(slurmWorker).contains("SLURM_JOB_ID="), "the last worker runs in the job");
            assertEquals(hosts.netns("alpha"), TestHosts.run("ip", "netns", "identify",
                    Long.toString(pool.status().get(1).pid())).strip(), "the second worker runs on alpha");
            Set<Long> pids = new HashSet<>(pool.map(x -> OnWorker.pidAfter(50), IntStream.range(0, 30).boxed().toList(), 1));
            assertEquals(new HashSet<>(pool.status().stream().map(WorkerStatus::pid).toList()), pids, "every worker took tasks");
        }
    }

    @Test
    void aSlurmWorkerIsOnAnotherHostForSharedStateAndFillsThePoolsManagerListOverTls() throws Exception {
        try (WorkerPool pool = WorkerPool.builder().workers(1).slurm(job(1)).start().awaitReady();
             SharedInt counter = Shared.intValue(0)) {
            String receiver = "worker 1 on host " + hosts.slurmNode();
            // the node is this machine, where /dev/shm would map: refused all the same, as on a real cluster
            HostBoundException e = assertThrows(HostBoundException.class, () -> pool.apply(counter::incrementAndGet));
            assertEquals(receiver, e.receiver());
            assertEquals(receiver, assertThrows(HostBoundException.class, () -> pool.submitOnWorkers(
                    counter::incrementAndGet, List.of(1), RunOptions.defaults())).receiver());
            assertEquals(0, counter.get(), "nothing ran");
            assertEquals(List.of(1), pool.submitOnWorkers(counter::incrementAndGet, List.of(0), RunOptions.defaults()).get(),
                    "the local worker still gets it");

            ManagedList<Long> seen = pool.manager().list();
            List<Long> pids = pool.submitOnWorkers(() -> {
                long me = ProcessHandle.current().pid();
                seen.add(me);
                return me;
            }, List.of(), RunOptions.defaults()).get();
            assertEquals(pool.status().stream().map(WorkerStatus::pid).toList(), pids);
            assertEquals(new HashSet<>(pids), new HashSet<>(seen), "both workers added to the pool manager's list");
            assertTrue(environment(pids.get(1)).contains("SLURM_JOB_ID="), "the second entry came from the job");
            assertEquals(1, ((ManagedProxy) seen).reference().tls().size(),
                    "the manager listens, through TLS, where the job's node dials the kernel");

            // its JVM has a local worker's flags, and its heartbeat carries its CPU time and RSS
            String command = TestHosts.commandLine(pids.get(1));
            assertTrue(command.contains("-XX:MaxRAMPercentage=25") && command.contains("-XX:-UsePerfData"), command);
            Await.until("the Slurm worker's row to show its CPU time and RSS", Duration.ofSeconds(10), () -> {
                WorkerStatus row = pool.status().get(1);
                return row.cpuTime().compareTo(Duration.ZERO) > 0 && row.rssBytes() > 0;
            });
        }
    }

    @Test
    void anInitializerThatCapturesASharedObjectIsRefusedForASlurmOnlyPool() {
        try (SharedInt started = Shared.intValue(0)) {
            HostBoundException e = assertThrows(HostBoundException.class, () -> WorkerPool.builder()
                    .slurm(job(1)).initializer(started::incrementAndGet).start().close());
            assertEquals("worker 0 in the pool's Slurm job", e.receiver());
            assertEquals(0, started.get());
        }
    }

    @Test
    void aWorkerKilledOnItsNodeIsReplacedByANewStepOfTheSameJob() throws Exception {
        try (WorkerPool pool = WorkerPool.builder().slurm(job(2)).start().awaitReady()) {
            long killed = pool.status().get(0).pid();
            String jobId = environment(killed).lines().filter(l -> l.startsWith("SLURM_JOB_ID=")).findFirst().orElseThrow();
            TestHosts.run("kill", "-KILL", Long.toString(killed));
            Await.until("worker 0 to be replaced", Duration.ofSeconds(60), () -> {
                WorkerStatus row = pool.status().get(0);
                return row.pid() != killed && row.state().equals("idle");
            });
            long replacement = pool.status().get(0).pid();
            assertTrue(environment(replacement).contains(jobId), "the new worker runs in the same job, " + jobId);
            assertEquals(hosts.slurmNode(), pool.status().get(0).host());
            List<Long> pids = pool.map(x -> OnWorker.pidAfter(50), IntStream.range(0, 10).boxed().toList(), 1);
            assertTrue(pids.contains(replacement) && !pids.contains(killed), pids + " (replacement " + replacement + ")");
            assertEquals(List.of(), credentialFiles(), "the new worker deleted its credentials once read");
        }
    }

    @Test
    void aPartitionThatDoesNotExistIsRefusedAtOnceQuotingSlurm() {
        long start = System.nanoTime();
        SlurmLaunchException e = assertThrows(SlurmLaunchException.class,
                () -> WorkerPool.builder().slurm(SlurmJob.of(1).partition("no-such-partition")).start().close());
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.err.printf("a bad partition was refused in %.2f s: %s%n", took.toMillis() / 1e3, e.getMessage());
        assertTrue(took.compareTo(REFUSAL_LIMIT) < 0, "took " + took);
        assertTrue(e.getMessage().contains("invalid partition"), "Slurm's own words: " + e.getMessage());
        assertTrue(e.getMessage().contains("no-such-partition"), e.getMessage());
        assertEquals(-1, e.jobId());
    }

    @Test
    void aJobPendingPastItsLimitIsReportedWithSqueuesReasonAndCancelled() {
        Duration limit = Duration.ofSeconds(3);
        long start = System.nanoTime();
        // --begin holds the job in the queue for an hour: pending for real, with Slurm's reason BeginTime
        SlurmLaunchException e = assertThrows(SlurmLaunchException.class, () -> WorkerPool.builder()
                .slurm(job(1).option("--begin=now+1hour").pendingLimit(limit)).start().close());
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.err.printf("a pending job was reported after %.1f s: %s%n", took.toMillis() / 1e3, e.getMessage());
        assertTrue(took.compareTo(limit) >= 0 && took.compareTo(limit.plus(REFUSAL_LIMIT)) < 0, "took " + took);
        assertTrue(e.getMessage().contains("BeginTime") && e.getMessage().contains("pending"), e.getMessage());
        assertTrue(e.jobId() > 0 && e.getMessage().contains("job " + e.jobId()), e.getMessage());
        Await.until("job " + e.jobId() + " to be cancelled", GONE_LIMIT,
                () -> TestHosts.outputOf("squeue", "-h", "-j", Long.toString(e.jobId())).isBlank());
    }

    @Test
    void aJobWaitingForABusyNodeIsReportedWithReasonResources() {
        // a job of this test's own takes every CPU of the one node for as long as the test needs it
        String cpus = TestHosts.run("sinfo", "-h", "-N", "-n", hosts.slurmNode(), "-o", "%c").strip();
        String filler = TestHosts.run("sbatch", "--parsable", "--job-name=jparallel-filler", "--partition="
                + hosts.slurmPartition(), "--ntasks=" + cpus, "--output=/dev/null", "--wrap=sleep 300").strip();
        try {
            Await.until("filler job " + filler + " to run", GONE_LIMIT,
                    () -> TestHosts.outputOf("squeue", "-h", "-j", filler, "-o", "%T").strip().equals("RUNNING"));
            SlurmLaunchException e = assertThrows(SlurmLaunchException.class, () -> WorkerPool.builder()
                    .slurm(job(1).pendingLimit(Duration.ofSeconds(3))).start().close());
            assertTrue(e.getMessage().contains("squeue's reason: Resources") && e.getMessage().contains("job " + e.jobId()),
                    e.getMessage());
            Await.until("job " + e.jobId() + " to be cancelled", GONE_LIMIT,
                    () -> TestHosts.outputOf("squeue", "-h", "-j", Long.toString(e.jobId())).isBlank());
        } finally {
            TestHosts.run("scancel", filler);
        }
    }

    /**
     * The kernel is a JVM of its own, so that it can be SIGKILLed: its job ends with it, its workers too. Its jar
     * cache is a fresh directory and its class path has a jar made for this test, which the node's cache (the one
     * this machine's tests use) lacks: it is copied there through srun, and the workers run from the node's cache alone.
     * Its environment has the variables of a job it would run in, which salloc and srun must not read.
     */
    @Test
    void aKilledKernelLeavesNoJobAndNoWorkerAndItsClasspathTravelsThroughSrun(@TempDir Path temp) throws Exception {
        Path fresh = temp.resolve("fresh.jar");
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(fresh))) {
            jar.putNextEntry(new JarEntry("fresh-" + UUID.randomUUID() + ".txt"));
        }
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(fresh)));
        // srun passes this environment to the node's shell, XDG_CACHE_HOME included (the tests' own cache)
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path nodeCopy = (xdg == null ? Path.of(System.getProperty("user.home"), ".cache") : Path.of(xdg))
                .resolve(Path.of("jparallel", "jars", sha + ".jar"));
        ProcessBuilder started = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djparallel.jarCache=" + temp.resolve("cache"),
                "-cp", System.getProperty("java.class.path") + File.pathSeparator + fresh, HostsKernelMain.class.getName(),
                "--slurm", hosts.slurmPartition()).redirectError(ProcessBuilder.Redirect.INHERIT);
        // as if the kernel ran inside a job of its own: salloc would ask for 64 CPUs a task, srun refuse to start
        started.environment().putAll(Map.of("SLURM_JOB_ID", "999999", "SLURM_CPUS_PER_TASK", "64",
                "SLURM_DISTRIBUTION", "no-such-distribution"));
        Process kernel = started.start();
        List<Long> workers = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(kernel.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null && !line.equals("ready"); line = out.readLine()) {
                workers.add(Long.parseLong(line.split(" ")[2]));
            }
            assertEquals(2, workers.size(), "the kernel's workers");
            assertTrue(Files.exists(nodeCopy), "the kernel's jar was copied to the node's cache: " + nodeCopy);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(nodeCopy)));
            for (long pid : workers) {
                String classpath = TestHosts.commandLine(pid).replaceAll(".* -cp (\\S+) .*", "$1");
                for (String entry : classpath.split(File.pathSeparator)) {
                    assertTrue(entry.startsWith(nodeCopy.getParent() + "/") && entry.matches(".*/[0-9a-f]{64}\\.jar"),
                            "worker " + pid + "'s class path is the node's cache alone: " + classpath);
                }
                assertTrue(classpath.contains(sha), "worker " + pid + " has the kernel's jar: " + classpath);
            }
            String jobId = environment(workers.get(0)).lines().filter(l -> l.startsWith("SLURM_JOB_ID="))
                    .map(l -> l.substring(13)).findFirst().orElseThrow();
            kernel.destroyForcibly(); // SIGKILL: no shutdown hook, nothing closed by the kernel itself
            assertTrue(kernel.waitFor(GONE_LIMIT.toSeconds(), TimeUnit.SECONDS));
            long killed = System.nanoTime();
            Await.until("job " + jobId + " to leave the queue", GONE_LIMIT,
                    () -> TestHosts.outputOf("squeue", "-h", "-j", jobId).isBlank());
            for (long pid : workers) {
                Await.until("worker " + pid + " to end", GONE_LIMIT, () -> ProcessHandle.of(pid).isEmpty());
            }
            System.err.printf("job %s and its workers were gone %.1f s after their kernel was killed%n", jobId,
                    (System.nanoTime() - killed) / 1e9);
        } finally {
            kernel.destroyForcibly().waitFor();
            Files.deleteIfExists(nodeCopy);
        }
    }

    /** Process {@code pid}'s environment, a variable a line. */
    private static String environment(long pid) throws IOException {
        return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ")), StandardCharsets.UTF_8)
                .replace('\0', '\n');
    }

    /** The credentials directories of this JVM's pools (see the pool's docs: under ~/.jparallel/credentials). */
    private static List<Path> credentialDirectories() throws IOException {
        Path base = Path.of(System.getProperty("user.home"), ".jparallel", "credentials");
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(base)) {
            return dirs.filter(d -> d.getFileName().toString().contains("-" + ProcessHandle.current().pid() + "-")).toList();
        }
    }

    private static List<Path> credentialFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path dir : credentialDirectories()) {
            try (Stream<Path> in = Files.list(dir)) {
                files.addAll(in.toList());
            }
        }
        return files;
    }
}
