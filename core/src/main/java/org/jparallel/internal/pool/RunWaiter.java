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
     * Waits for a run to finish. On interrupt it stops the run (see {@link #stop}) and throws
     * {@link CancellationException}, with the thread's interrupt flag set again. A run stopped because
     * its input failed throws that failure ({@link #stopFor}).
     *
     * @param timeoutMillis 0 to wait for ever; otherwise the run is stopped this long after it was
     *                      submitted — reading its input included — and {@link CancellationException} says so
     */
    void await(Run run, long timeoutMillis) {
        long deadline = timeoutMillis > 0 ? run.startedNanos + TimeUnit.MILLISECONDS.toNanos(timeoutMillis) : 0;
        String unread = "";
        boolean finished;
        try {
            synchronized (state) {
                while (!run.isFinished()) {
                    failIfNoWorkers(run);
                    if (deadline == 0) {
                        state.wait();
                    } else {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            unread = run.unread();
                            break;
                        }
                        TimeUnit.NANOSECONDS.timedWait(state, left);
                    }
                }
                finished = run.isFinished();
            }
        } catch (InterruptedException e) {
            stop(run);
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted: " + doneSoFar(run) + " element(s) had finished");
        }
        if (!finished) {
            stop(run);
            throw new CancellationException("timed out after " + timeoutMillis / 1000.0 + " s: " + doneSoFar(run)
                    + " element(s) had finished" + unread);
        }
        synchronized (state) {
            if (run.stoppedBy() != null) {
                throw run.stoppedBy();
            }
        }
    }

    private long doneSoFar(Run run) {
        synchronized (state) {
            return run.done();
        }
    }

    private void failIfNoWorkers(Run run) {
        if (state.startFailure() != null && supervisor.roster().allDead()) {
            dispatcher.cancel(run);
            throw new IllegalStateException(state.startFailure());
        }
    }

    /**
     * Stops a run for a reason whoever waits for it or reads it must hear ({@link RunListener#stopped}):
     * {@link #await} throws {@code why}. Does nothing to a run already stopped or finished.
     */
    void stopFor(Run run, RuntimeException why) {
        synchronized (state) {
            if (!run.stopFor(why)) {
                return;
            }
        }
        stop(run);
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
