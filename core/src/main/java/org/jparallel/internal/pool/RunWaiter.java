package org.jparallel.internal.pool;

import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;

/**
 * Waits for a pool's runs to finish, and stops them: on a caller's thread, under the pool's lock, waiting
 * on it. A stopped run's queued tasks are dropped, its running ones asked to stop, the reading of its input
 * interrupted; a worker that has not given a stopped task back after a grace period is killed (and so
 * replaced).
 */
final class RunWaiter {

    /** How long a cancelled run may take to stop before its workers are killed and replaced. */
    private static final long STOP_GRACE_MS = 1500;
    /** How long killed workers get to end and be read to their end. */
    static final long EXIT_GRACE_MS = 2000;

    private final PoolState state;
    private final Dispatcher dispatcher;
    private final Supervisor supervisor;

    RunWaiter(PoolState state, Dispatcher dispatcher, Supervisor supervisor) {
        this.state = state;
        this.dispatcher = dispatcher;
        this.supervisor = supervisor;
    }

    /**
     * Waits for a run to finish. On interrupt it stops the run ({@link #cancel}) and throws
     * {@link CancellationException}, with the thread's interrupt flag set again. A run stopped for a reason
     * its waiter must hear ({@link #stopFor}: its input failed, a timeout, {@link #cancel}) throws it.
     *
     * @param timeoutMillis 0 to wait for ever; otherwise the run is stopped this long after it was
     *                      submitted — reading its input included — and {@link CancellationException} says so
     */
    void await(Run run, long timeoutMillis) {
        long deadline = timeoutMillis > 0 ? run.startedNanos + TimeUnit.MILLISECONDS.toNanos(timeoutMillis) : 0;
        try {
            if (!awaitFinished(run, deadline)) {
                cancel(run, timedOut(timeoutMillis));
            }
        } catch (InterruptedException e) {
            cancel(run, "interrupted");
            Thread.currentThread().interrupt();
        }
        RuntimeException stopped;
        if (run.signal.finished()) {
            stopped = run.stoppedBy(); // final once it finished (see RunSignal#finish)
        } else {
            synchronized (state) {
                stopped = run.stoppedBy();
            }
        }
        if (stopped != null) {
            throw stopped;
        }
    }

    /** Why a run that timed out after {@code millis} stopped, as its {@link CancellationException} begins. */
    static String timedOut(long millis) {
        return "timed out after " + millis / 1000.0 + " s";
    }

    /**
     * Waits until a run has finished, or until {@code deadlineNanos} ({@link System#nanoTime()}; 0: no
     * deadline); returns whether it has. An interrupt only ends the wait.
     */
    boolean awaitFinished(Run run, long deadlineNanos) throws InterruptedException {
        while (true) {
            long seen;
            synchronized (state) {
                if (run.isFinished()) {
                    return true;
                }
                failIfNoWorkers(run);
                seen = run.signal.count();
            }
            // on the run's own signal, not the pool's lock: see RunSignal
            if (!run.signal.awaitAfter(seen, deadlineNanos)) {
                return false;
            }
            if (run.signal.finished()) {
                return true;
            }
        }
    }

    /**
     * Stops a run that is still going (see {@link #stop}); whoever waits for it or reads it gets a
     * {@link CancellationException}: "{@code why}: N element(s) had finished", and how far its input had been
     * read if it was still being read. Returns false, doing nothing, if it had already finished or stopped.
     */
    boolean cancel(Run run, String why) {
        RuntimeException stopped;
        synchronized (state) {
            stopped = new CancellationException(why + ": " + run.done() + " element(s) had finished" + run.unread());
        }
        return stopFor(run, stopped);
    }

    private void failIfNoWorkers(Run run) {
        if (state.startFailure() != null && supervisor.roster().allDead()) {
            dispatcher.cancel(run);
            throw new IllegalStateException(state.startFailure());
        }
    }

    /**
     * Stops a run for a reason whoever waits for it or reads it must hear ({@link RunListener#stopped}):
     * {@link #await} throws {@code why}. Returns false, doing nothing, if the run was already stopped or finished.
     */
    boolean stopFor(Run run, RuntimeException why) {
        synchronized (state) {
            if (!run.stopFor(why)) {
                return false;
            }
        }
        stop(run);
        return true;
    }

    /**
     * Cancels a run: queued tasks are dropped, running ones stopped, the reading of its input
     * interrupted. A worker that has not given its task back after a grace period is killed and replaced.
     * Returns once the run is finished.
     */
    void stop(Run run) {
        boolean interrupted = Thread.interrupted();
        try {
            synchronized (state) {
                dispatcher.cancel(run);
                run.stopReading();
                waitFinished(run, STOP_GRACE_MS);
                if (!run.isFinished()) {
                    for (Task task : dispatcher.tasksOf(run)) {
                        supervisor.kill(task.worker());
                    }
                    waitFinished(run, EXIT_GRACE_MS + STOP_GRACE_MS);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void waitFinished(Run run, long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        long left;
        while (!run.isFinished() && (left = deadline - System.nanoTime()) > 0) {
            try {
                TimeUnit.NANOSECONDS.timedWait(state, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
