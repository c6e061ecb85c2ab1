package org.jparallel.api;

import org.jparallel.testing.Await;
import org.jparallel.testing.TestHosts;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link WorkerPool#status()} of a worker on another host ({@link TestHosts}' alpha) shows its CPU time and
 * resident memory as the worker's heartbeat reports them, like a local worker's, which the kernel reads itself;
 * and the worker runs with a local worker's JVM flags.
 */
class WorkerStatusHostsIT {

    /** Where the spin's work goes, so that the JIT keeps it. */
    private static volatile long sink;

    @Test
    void aWorkerOnAnotherHostShowsTheCpuTimeAndMemoryItsHeartbeatReports() throws Exception {
        TestHosts hosts = TestHosts.require();
        try (WorkerPool pool = WorkerPool.builder().sshOption("-F", hosts.sshConfig().toString())
                .workers(1).host("alpha", 1).start().awaitReady()) {
            // the worker's own CPU time after a busy spell of at least 300 ms of its thread's CPU
            long busy = pool.submitOnWorkers(WorkerStatusHostsIT::spin, List.of(1), RunOptions.defaults()).get().get(0);
            Duration floor = Duration.ofNanos(busy);
            Await.until("alpha's row shows at least the CPU its task used", Duration.ofSeconds(10),
                    () -> pool.status().get(1).cpuTime().compareTo(floor) >= 0);
            WorkerStatus alpha = pool.status().get(1);
            assertEquals("alpha", alpha.host());
            // alpha shares this machine's PID namespace: its /proc says what the worker's RSS is
            long rss = WorkerStatusHostsIT.rssOf(alpha.pid());
            assertTrue(alpha.rssBytes() > rss / 2 && alpha.rssBytes() < rss * 2,
                    "reported " + alpha.rssBytes() + " bytes, /proc says " + rss);
            assertTrue(pool.status().get(0).rssBytes() > 0, "the local worker's row as before");

            // it runs with a local worker's flags, but for the class-data archive, which is this machine's
            List<String> local = jvmFlags(pool.status().get(0).pid()).stream()
                    .filter(f -> !f.startsWith("-XX:SharedArchiveFile") && !f.startsWith("-XX:DumpLoadedClassList")
                            && !f.startsWith("-Xlog:cds")).toList();
            List<String> remote = jvmFlags(alpha.pid());
            assertTrue(local.contains("-XX:MaxRAMPercentage=25") && remote.containsAll(local),
                    "local worker's flags " + local + ", alpha's " + remote);
        }
    }

    /** Spins until this thread used 300 ms of CPU; returns the process's CPU time then, in nanoseconds. */
    private static long spin() {
        var threads = ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        long x = 0;
        while (threads.getCurrentThreadCpuTime() - start < 300_000_000L) {
            x += Long.numberOfTrailingZeros(x + 1);
        }
        sink = x;
        return ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
    }

    /** The -X flags on a process's command line (this machine's /proc: alpha shares its PID namespace). */
    private static List<String> jvmFlags(long pid) throws IOException {
        String cmdline = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"));
        return List.of(cmdline.split("\0")).stream().filter(w -> w.startsWith("-X")).toList();
    }

    private static long rssOf(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new AssertionError("no VmRSS for " + pid);
    }
}
