package org.jparallel.internal.pool;

import org.jparallel.internal.launch.WorkerLauncher;
import org.jparallel.internal.wire.Message;
import org.jparallel.internal.wire.WireServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Starts, watches, replaces and stops a pool's worker processes. A worker whose process ends without
 * being asked to is reported (with its exit code and last standard-error lines) and replaced by a new
 * process with the same index. A worker that leaves the pool (replaced, or removed by a resize) first
 * finishes the tasks it holds, and is asked to exit only once it holds none, so none of its results is
 * lost. A worker that stops answering is killed and so replaced (see {@link Liveness}). Every process it
 * starts, it reaps. Every method runs under the pool's lock, except that exits are noticed on the JDK's
 * process-reaper thread and handed to {@code onExit}.
 */
final class Supervisor {

    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);
    private static final AtomicInteger NEXT_PEER = new AtomicInteger(1);

    private final WorkerLauncher launcher;
    private final byte[] secret;
    private final WireServer wire;
    private final Consumer<WorkerHandle> onExit;
    private final Liveness liveness;
    /** When {@link #watch} last ran; a long gap means this JVM itself was not running. */
    private long lastWatchNanos = System.nanoTime();
    /** Current workers, in index order; shared with the dispatcher. */
    final List<WorkerHandle> workers = new ArrayList<>();
    /** Every process started and not yet reaped, including retired ones. */
    private final List<WorkerHandle> started = new ArrayList<>();

    Supervisor(WorkerLauncher launcher, byte[] secret, WireServer wire, Liveness liveness,
               Consumer<WorkerHandle> onExit) {
        this.launcher = launcher;
        this.liveness = liveness;
        this.secret = secret;
        this.wire = wire;
        this.onExit = onExit;
    }

    /** Starts a worker for this index, replacing (in the list) any previous one. */
    WorkerHandle spawn(int index) {
        int peer = NEXT_PEER.getAndIncrement();
        WorkerHandle handle;
        try {
            handle = new WorkerHandle(index, peer,
                    launcher.launch(wire.port(), peer, index, "worker-" + index, secret));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start worker " + index + ": " + e.getMessage(), e);
        }
        if (index < workers.size()) {
            workers.set(index, handle);
        } else {
            workers.add(handle);
        }
        started.add(handle);
        handle.process.onExit().thenRun(() -> onExit.accept(handle));
        return handle;
    }

    /** The live process with this peer id, current or leaving; null if there is none. */
    WorkerHandle byPeer(int peer) {
        for (WorkerHandle w : started) {
            if (w.peer == peer) {
                return w;
            }
        }
        return null;
    }

    /** Whether this worker holds its index in the pool (it is not leaving, nor replaced). */
    boolean isCurrent(WorkerHandle worker) {
        return worker.index < workers.size() && workers.get(worker.index) == worker;
    }

    /**
     * A worker said hello (it is connected and authenticated). Returns whether it joined the pool; one
     * that was asked to leave while it was starting is told to exit now that it can hear.
     */
    boolean ready(WorkerHandle worker) {
        worker.lastHeardNanos = System.nanoTime();
        if (worker.state == WorkerState.STARTING) {
            worker.state = WorkerState.IDLE;
            return true;
        }
        if (worker.state == WorkerState.STOPPING) {
            wire.send(worker.peer, new Message.Exit());
        }
        return false;
    }

    /** Whether every current worker has said hello (or died trying). */
    boolean allReady() {
        return workers.stream().noneMatch(w -> w.state == WorkerState.STARTING);
    }

    /** The process ended: forget it; true if nobody had asked it to exit. */
    boolean exited(WorkerHandle worker) {
        started.remove(worker);
        wire.disconnect(worker.peer);
        boolean unexpected = worker.state != WorkerState.STOPPING;
        if (unexpected) {
            worker.deathCause = worker.unresponsive != null ? worker.unresponsive : describeDeath(worker);
            LOG.warn("{} died: {}", worker.label(), worker.deathCause);
        }
        worker.state = WorkerState.DEAD;
        return unexpected;
    }

    private static String describeDeath(WorkerHandle worker) {
        int code = worker.process.exitValue();
        String how = code > 128 && code < 160 ? "killed by signal " + (code - 128) + " (exit code " + code + ")"
                : "exited with code " + code;
        List<String> tail = worker.stderrTail();
        String last = tail.stream().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("");
        for (String line : tail) {
            if (line.contains("OutOfMemoryError")) {
                last = line.trim();
                break;
            }
        }
        return "the worker process " + how + (last.isEmpty() ? "" : "; its last words: " + last);
    }

    /** Starts a fresh process for a worker's index; the old one retires. */
    void replace(WorkerHandle worker) {
        retire(worker);
        spawn(worker.index);
    }

    /** Removes the workers beyond {@code size} from the pool; they retire. */
    void shrinkTo(int size) {
        while (workers.size() > size) {
            retire(workers.remove(workers.size() - 1));
        }
    }

    /** The worker gets no new task and is asked to exit once it holds none. */
    private void retire(WorkerHandle worker) {
        worker.state = WorkerState.RETIRING;
        dismissIfIdle(worker);
    }

    /** Asks a retiring worker to exit if it holds no task any more (call when one of its tasks ends). */
    void dismissIfIdle(WorkerHandle worker) {
        if (worker.state == WorkerState.RETIRING && worker.inFlight.isEmpty()) {
            dismiss(worker);
        }
    }

    /** Asks a worker to exit (it finishes what it holds first), so its exit is not a death. */
    void dismiss(WorkerHandle worker) {
        worker.state = WorkerState.STOPPING;
        wire.send(worker.peer, new Message.Exit());
    }

    /**
     * Something arrived from this worker. Returns whether it had been shown as not answering (it is no
     * longer).
     */
    boolean heard(WorkerHandle worker) {
        worker.lastHeardNanos = System.nanoTime();
        boolean wasSilent = worker.silent;
        worker.silent = false;
        return wasSilent;
    }

    /**
     * Checks every worker that said hello and has not ended: one silent past the liveness limit is killed
     * (its exit then fails or moves its tasks, and a new process takes its place). Returns the workers that
     * have just become silent, for progress displays. If this check itself ran late — this JVM was paused or
     * starved, and could not read what workers sent — every worker is given a fresh start instead.
     */
    List<WorkerHandle> watch(long now, long periodNanos) {
        List<WorkerHandle> nowSilent = new ArrayList<>();
        boolean kernelPaused = now - lastWatchNanos > 4 * periodNanos + 1_000_000_000L;
        lastWatchNanos = now;
        for (WorkerHandle w : started) {
            if (w.lastHeardNanos == 0 || w.state == WorkerState.DEAD || w.unresponsive != null) {
                // not watched before its hello: a JVM may take long to start on a loaded machine
                continue;
            }
            if (kernelPaused) {
                w.lastHeardNanos = Math.max(w.lastHeardNanos, now);
                continue;
            }
            long silentNanos = now - w.lastHeardNanos;
            if (liveness.unresponsive(silentNanos)) {
                w.unresponsive = liveness.verdict(silentNanos);
                LOG.warn("{}: {}", w.label(), w.unresponsive);
                w.process.destroyForcibly(); // SIGKILL: a stopped process ends too
            } else if (!w.silent && liveness.notAnswering(silentNanos)) {
                w.silent = true;
                nowSilent.add(w);
            }
        }
        return nowSilent;
    }

    /** Every process started and not reaped yet. */
    List<WorkerHandle> live() {
        return new ArrayList<>(started);
    }
}
