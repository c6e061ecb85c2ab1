package org.jparallel.internal.pool;

import org.jparallel.internal.launch.WorkerLauncher;
import org.jparallel.internal.wire.ServiceThreads;
import org.jparallel.internal.worker.ProcessStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The process of one pool worker: the pipe to its standard input, the last lines it wrote to its standard
 * error (kept to explain a crash), and how it is ended. Owned by the {@link Supervisor}, which started it and
 * reaps it. Thread-safe: the stderr tail has its own lock, the rest is the JDK's {@link Process}.
 */
final class WorkerJvm {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerJvm.class);
    private static final int STDERR_LINES = 20;
    /** How the JVM begins its report of what a process's main method threw. */
    private static final String UNCAUGHT = "Exception in thread \"main\" ";
    /**
     * How long a worker being ended, even by {@code terminate()}, gets at each step to delete the shared
     * memory it created and exit before the next, harsher step: killed at once, it left its segments in
     * /dev/shm (RAM) until a later sweep. A worker whose stdin closes was gone in 1 to 70 ms, once 435 ms,
     * on a loaded 2-core machine; one that is frozen costs {@code terminate()} twice this before it is killed.
     */
    private static final long RELEASE_MS = 1000;

    private final String label;
    /** Null on this machine. */
    private final String host;
    /** What runs it on {@link #host}: ssh, srun; null on this machine. */
    private final String via;
    private final Process process;
    private final OutputStream stdin;
    private final Deque<String> stderrTail = new ArrayDeque<>();

    /** The process of worker {@code index}: the worker's JVM, or, on another {@code host} (not null), its ssh or srun. */
    WorkerJvm(int index, String host, WorkerLauncher.Launched launched) {
        this.process = launched.process();
        this.stdin = launched.stdin();
        this.host = host;
        this.via = launched.via();
        this.label = "worker " + index + " (pid " + process.pid() + (host == null ? ")" : ", " + via + " to " + host + ")");
        ServiceThreads.daemon(this::readStderr, "jparallel-worker-" + index + "-stderr").start();
    }

    long pid() {
        return process.pid();
    }

    /** Runs {@code action} once the process has ended, on the JDK's process-reaper thread. */
    void onExit(Runnable action) {
        process.onExit().thenRun(action);
    }

    /** SIGKILL: a stopped or frozen process ends too. */
    void kill() {
        process.destroyForcibly();
    }

    Duration cpuTime() {
        return ProcessStats.cpuTime(process.toHandle());
    }

    /** Whether this is a worker's ssh (or srun) that ended with its own failure (255): it lost the host. */
    boolean hostLost() {
        return host != null && !process.isAlive() && process.exitValue() == 255;
    }

    /** Why the process ended, from its exit code and its last words on standard error. */
    String describeDeath() {
        int code = process.exitValue();
        String how = code > 128 && code < 160 ? "killed by signal " + (code - 128) + " (exit code " + code + ")"
                : "exited with code " + code;
        String what = "the worker process ";
        if (host != null) {
            // the local process is ssh or srun: 255 is its own failure (the host dropped off, refused us); else the worker's code
            what = code == 255 ? via + " to host " + host + " failed (exit code 255), " : "the worker process on host " + host + " ";
            how = code == 255 ? "the worker is lost" : how;
        }
        List<String> tail = stderrTail();
        String last = tail.stream().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("");
        for (String line : tail) {
            if (line.contains("OutOfMemoryError")) {
                last = line.trim();
                break;
            }
            if (line.startsWith(UNCAUGHT)) { // what main threw says more than the last line of its stack trace
                last = line.substring(UNCAUGHT.length());
            }
        }
        return what + how + (last.isEmpty() ? "" : "; its last words: " + last);
    }

    private void readStderr() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                LOG.debug("{}: {}", label, line);
                synchronized (stderrTail) {
                    if (stderrTail.size() == STDERR_LINES) {
                        stderrTail.removeFirst();
                    }
                    stderrTail.addLast(line);
                }
            }
        } catch (IOException e) {
            LOG.debug("{}: stderr closed: {}", label, e.getMessage());
        }
    }

    /** The last lines the JVM wrote to its standard error (crash reports, OutOfMemoryError…). */
    private List<String> stderrTail() {
        synchronized (stderrTail) {
            return new ArrayList<>(stderrTail);
        }
    }

    /**
     * Ends the process: close its stdin (it releases its shared memory and halts on end of file), then TERM
     * (its shutdown hooks release it), then KILL; reaps it. Each step waits at least {@link #RELEASE_MS}.
     */
    void destroy(long graceMillis) {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // the process is already gone
        }
        long grace = Math.max(graceMillis, RELEASE_MS);
        try {
            if (!process.waitFor(grace, TimeUnit.MILLISECONDS)) {
                process.destroy();
                if (!process.waitFor(grace, TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
