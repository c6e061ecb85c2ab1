package org.jparallel.internal.pool;

import org.jparallel.internal.wire.WireServer;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Closes a pool, gracefully or at once, and releases what it owns in order: the workers (asked to exit, then
 * ended and reaped), the wire, the result decoder, and last its manager. Runs on the caller's thread; the
 * first call closes, later ones only wait for the workers' end.
 */
final class PoolShutdown {

    private final PoolState state;
    private final Supervisor supervisor;
    private final Dispatcher dispatcher;
    private final RunWaiter waiter;
    private final WireServer wire;
    private final ExecutorService decoder;
    private final OwnedManager manager;
    private final Future<?> watch;

    PoolShutdown(PoolState state, Supervisor supervisor, Dispatcher dispatcher, RunWaiter waiter, WireServer wire,
                 ExecutorService decoder, OwnedManager manager, Future<?> watch) {
        this.state = state;
        this.supervisor = supervisor;
        this.dispatcher = dispatcher;
        this.waiter = waiter;
        this.wire = wire;
        this.decoder = decoder;
        this.manager = manager;
        this.watch = watch;
    }

    /**
     * Closes the pool. Gracefully ({@code now} false): waits for the runs, except lazy ones (imap) that are
     * not finished, which are stopped (see {@link RealWorkerPool#close}); then every worker is asked to exit.
     * At once: every run's input reading is interrupted, every element not done fails, the workers are ended.
     * An interrupt while waiting turns a graceful close into one at once.
     */
    void close(boolean now) {
        List<WorkerJvm> ending = List.of();
        synchronized (state) {
            if (!state.closing()) {
                for (Run run : dispatcher.openRuns()) {
                    if (now) {
                        run.stopReading();
                    } else if (run.lazy()) {
                        waiter.stopFor(run, new CancellationException("the pool was closed while this lazy map was"
                                + " still open: results not yet read were discarded and the rest of the input was not read"));
                    }
                }
            }
            while (!now && !state.closing() && !dispatcher.idle()) {
                try {
                    state.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    now = true;
                }
            }
            if (state.startClosing()) {
                watch.cancel(false);
                if (now) {
                    dispatcher.abandonAll("the pool was terminated");
                }
                List<WorkerHandle> live = supervisor.roster().live();
                live.forEach(supervisor::dismiss);
                ending = supervisor.processesOf(live);
            }
        }
        Supervisor.end(ending, now ? 0 : RunWaiter.EXIT_GRACE_MS);
        supervisor.releaseHosts();
        wire.close();
        decoder.shutdown(); // what it still decodes is delivered; nothing new comes once the wire is closed
        manager.close();
    }

    /** Waits until every worker process has been reaped (after {@link #close}). */
    void join() {
        List<WorkerJvm> live;
        synchronized (state) {
            live = supervisor.processesOf(supervisor.roster().live());
        }
        Supervisor.end(live, RunWaiter.EXIT_GRACE_MS);
    }
}
