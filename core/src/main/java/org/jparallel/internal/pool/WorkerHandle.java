package org.jparallel.internal.pool;

import org.jparallel.internal.launch.WorkerLauncher;
import org.jparallel.internal.wire.ServiceThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The kernel's view of one worker process: its identity, state, the tasks it holds, what code it has
 * received, and the last lines it wrote to its own standard error (kept to explain a crash).
 *
 * <p>Owned by its pool: fields are read and written under the pool's lock, except the stderr tail,
 * which has its own.
 */
final class WorkerHandle {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerHandle.class);
    private static final int STDERR_LINES = 20;
    /**
     * How long a worker being ended, even by {@code terminate()}, gets at each step to delete the shared
     * memory it created and exit before the next, harsher step: killed at once, it left its segments in
     * /dev/shm (RAM) until a later sweep. A worker whose stdin closes was gone in 1 to 70 ms, once 435 ms,
     * on a loaded 2-core machine; one that is frozen costs {@code terminate()} twice this before it is killed.
     */
    private static final long RELEASE_MS = 1000;

    final int index;
    final int peer;
    final Process process;
    private final OutputStream stdin;
    private final Deque<String> stderrTail = new ArrayDeque<>();
    final long startedNanos = System.nanoTime();

    WorkerState state = WorkerState.STARTING;
    long tasksDone;
    /** Tasks the dispatcher handed to this worker (its initializer is not one), for the task quota. */
    int tasksAssigned;
    /** Tasks sent and not yet done, by id, in the order they were sent. */
    final Map<Long, Task> inFlight = new LinkedHashMap<>();
    /** How many of the notebook's classes and classpath entries this worker has. */
    int classesSent;
    int classpathSent;
    /** The run whose notebook variables were last set on this worker. */
    long variablesOfRun;
    /** How long this worker's recent tasks took, smoothed; 0 before its first task is done. */
    long taskNanos;
    /** When its last task was reported done ({@link System#nanoTime()}). */
    long lastDoneNanos;
    /** When anything last arrived from it ({@link System#nanoTime()}); 0 until its hello, when the watch begins. */
    long lastHeardNanos;
    /** Whether it has been silent long enough to be shown as not answering. */
    boolean silent;
    /** Why it was killed as unresponsive; null unless it was. */
    String unresponsive;
    /** Its process ended while its connection was still open: it is handled once the last messages are read. */
    boolean exitSeen;
    String deathCause;

    WorkerHandle(int index, int peer, WorkerLauncher.Launched launched) {
        this.index = index;
        this.peer = peer;
        this.process = launched.process();
        this.stdin = launched.stdin();
        ServiceThreads.daemon(this::readStderr, "jparallel-worker-" + index + "-stderr").start();
    }

    long pid() {
        return process.pid();
    }

    String label() {
        return "worker " + index + " (pid " + pid() + ")";
    }

    /**
     * When the task it runs now could start (it runs its tasks in the order it got them: the first it holds,
     * from when it was sent or the one before it ended); 0 if it holds none.
     */
    long runningSinceNanos() {
        for (Task task : inFlight.values()) {
            return Math.max(task.sentNanos, lastDoneNanos);
        }
        return 0;
    }

    private void readStderr() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                LOG.debug("{}: {}", label(), line);
                synchronized (stderrTail) {
                    if (stderrTail.size() == STDERR_LINES) {
                        stderrTail.removeFirst();
                    }
                    stderrTail.addLast(line);
                }
            }
        } catch (IOException e) {
            LOG.debug("{}: stderr closed: {}", label(), e.getMessage());
        }
    }

    /** The last lines the JVM wrote to its standard error (crash reports, OutOfMemoryError…). */
    List<String> stderrTail() {
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
