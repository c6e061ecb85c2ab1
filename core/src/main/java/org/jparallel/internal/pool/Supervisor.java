package org.jparallel.internal.pool;

import org.jparallel.internal.launch.WorkerLauncher;
import org.jparallel.internal.wire.Message;
import org.jparallel.internal.wire.WireServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Starts, watches, replaces and stops a pool's worker processes. A worker whose process ends without
 * being asked to is reported (with its exit code and last standard-error lines) and replaced by a new
 * process with the same index. A worker that leaves the pool (replaced, or removed by a resize) first
 * finishes the tasks it holds, and is asked to exit only once it holds none, so none of its results is
 * lost. A worker that stops answering is killed and so replaced (see {@link Liveness}). Every process it
 * starts, it reaps.
 *
 * <p>It owns the {@link WorkerRoster} and each worker's {@link WorkerJvm}, and changes the workers' life and
 * liveness state. Every method runs under the pool's lock, except that exits are noticed on the JDK's
 * process-reaper thread and handed to {@code onExit}, and that {@link #end} is called without the lock.
 */
final class Supervisor {

    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);
    private static final AtomicInteger NEXT_PEER = new AtomicInteger(1);

    private final WorkerLauncher launcher;
    private final RemoteWorkers remote;
    private final byte[] secret;
    private final WireServer wire;
    private final Consumer<WorkerHandle> onExit;
    private final Liveness liveness;
    /** When {@link #watch} last ran; a long gap means this JVM itself was not running. */
    private long lastWatchNanos = System.nanoTime();
    private final WorkerRoster roster = new WorkerRoster();
    /** The process of every worker in the roster's live ones. */
    private final Map<WorkerHandle, WorkerJvm> processes = new IdentityHashMap<>();

    Supervisor(WorkerLauncher launcher, RemoteWorkers remote, byte[] secret, WireServer wire, Liveness liveness,
               Consumer<WorkerHandle> onExit) {
        this.launcher = launcher;
        this.remote = remote;
        this.liveness = liveness;
        this.secret = secret;
        this.wire = wire;
        this.onExit = onExit;
    }

    /** The pool's workers; read it, the supervisor changes it. */
    WorkerRoster roster() {
        return roster;
    }

    /** Starts a worker for this index, replacing (in the roster) any previous one. */
    WorkerHandle spawn(int index) {
        int peer = NEXT_PEER.getAndIncrement();
        String host = remote.hostOf(index);
        String name = "worker-" + index;
        WorkerJvm jvm;
        try {
            jvm = new WorkerJvm(index, host, host == null ? launcher.launch(wire.port(), peer, index, name, secret)
                    : remote.launch(index, peer, name, secret));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start worker " + index + ": " + e.getMessage(), e);
        }
        WorkerHandle handle = new WorkerHandle(index, peer, jvm.pid(), host);
        roster.add(handle);
        processes.put(handle, jvm);
        jvm.onExit(() -> onExit.accept(handle));
        return handle;
    }

    /** Whether the worker's connection is still open (what it sent may not all be read yet). */
    boolean connected(WorkerHandle worker) {
        return wire.connected(worker.peer);
    }

    /**
     * Whether a worker on another host is cut off: its ssh lost the host, or it was killed as unresponsive. Its
     * connection may then never close (a link that is down delivers no end), so its end is not waited for.
     */
    boolean cutOff(WorkerHandle worker) {
        WorkerJvm jvm = processes.get(worker);
        return worker.host != null && jvm != null && (worker.unresponsive() != null || jvm.hostLost());
    }

    /**
     * A worker said hello (it is connected and authenticated). Returns whether it joined the pool; one
     * that was asked to leave while it was starting is told to exit now that it can hear.
     */
    boolean ready(WorkerHandle worker, long pid) {
        worker.helloFrom(pid);
        if (worker.join(System.nanoTime())) {
            return true;
        }
        if (worker.state() == WorkerState.STOPPING) {
            wire.send(worker.peer, new Message.Exit());
        }
        return false;
    }

    /** The process ended: forget it; true if nobody had asked it to exit. */
    boolean exited(WorkerHandle worker) {
        roster.forget(worker);
        WorkerJvm jvm = processes.remove(worker);
        wire.disconnect(worker.peer);
        boolean unexpected = worker.ended(jvm.describeDeath());
        if (unexpected) {
            LOG.warn("{} died: {}", worker.label(), worker.deathCause());
        }
        return unexpected;
    }

    /** Starts a fresh process for a worker's index; the old one retires. */
    void replace(WorkerHandle worker) {
        retire(worker);
        spawn(worker.index);
    }

    /** Removes the workers beyond {@code size} from the pool; they retire. */
    void shrinkTo(int size) {
        while (roster.size() > size) {
            retire(roster.removeLast());
        }
    }

    /** The worker gets no new task and is asked to exit once it holds none. */
    private void retire(WorkerHandle worker) {
        worker.retire();
        dismissIfIdle(worker);
    }

    /** Asks a retiring worker to exit if it holds no task any more (call when one of its tasks ends). */
    void dismissIfIdle(WorkerHandle worker) {
        if (worker.retiredAndEmpty()) {
            dismiss(worker);
        }
    }

    /** Asks a worker to exit (it finishes what it holds first), so its exit is not a death. */
    void dismiss(WorkerHandle worker) {
        worker.dismissed();
        wire.send(worker.peer, new Message.Exit());
    }

    /** Kills the worker's process at once (SIGKILL); its exit then reaches {@code onExit}. */
    void kill(WorkerHandle worker) {
        WorkerJvm jvm = processes.get(worker);
        if (jvm != null) {
            jvm.kill();
        }
    }

    /** The worker's CPU time so far: on another host, as its last heartbeat reported it. */
    Duration cpuTime(WorkerHandle worker) {
        if (worker.host != null) {
            return worker.reportedCpuTime();
        }
        WorkerJvm jvm = processes.get(worker);
        return jvm == null ? Duration.ZERO : jvm.cpuTime();
    }

    /** Releases what the pool holds on other hosts (its Slurm job): called once its workers ended. */
    void releaseHosts() {
        remote.close();
    }

    /** The processes of these workers (taken under the lock), for {@link #end} after it. */
    List<WorkerJvm> processesOf(List<WorkerHandle> workers) {
        List<WorkerJvm> jvms = new ArrayList<>();
        for (WorkerHandle w : workers) {
            WorkerJvm jvm = processes.get(w);
            if (jvm != null) {
                jvms.add(jvm);
            }
        }
        return jvms;
    }

    /** Ends these processes and reaps them (see {@link WorkerJvm#destroy}); called without the pool's lock. */
    static void end(List<WorkerJvm> jvms, long graceMillis) {
        for (WorkerJvm jvm : jvms) {
            jvm.destroy(graceMillis);
        }
    }

    /** Something arrived from this worker: it is not silent (any more). */
    void heard(WorkerHandle worker) {
        worker.heard(System.nanoTime());
    }

    /**
     * Checks every worker that said hello and has not ended: one silent past the liveness limit is killed
     * (its exit then fails or moves its tasks, and a new process takes its place); one silent for a while is
     * marked so, for the progress of the runs it works for. If this check itself ran late — this JVM was paused or
     * starved, and could not read what workers sent — every worker is given a fresh start instead.
     */
    void watch(long now, long periodNanos) {
        boolean kernelPaused = now - lastWatchNanos > 4 * periodNanos + 1_000_000_000L;
        lastWatchNanos = now;
        for (WorkerHandle w : roster.live()) {
            if (w.lastHeardNanos() == 0 || w.state() == WorkerState.DEAD || w.unresponsive() != null) {
                // not watched before its hello: a JVM may take long to start on a loaded machine
                continue;
            }
            if (kernelPaused) {
                w.forgiveSilence(now);
                continue;
            }
            long silentNanos = now - w.lastHeardNanos();
            if (liveness.unresponsive(silentNanos)) {
                w.declareUnresponsive(liveness.verdict(silentNanos));
                LOG.warn("{}: {}", w.label(), w.unresponsive());
                kill(w); // SIGKILL: a stopped process ends too
            } else if (!w.silent() && liveness.notAnswering(silentNanos)) {
                w.turnedSilent();
            }
        }
    }
}
