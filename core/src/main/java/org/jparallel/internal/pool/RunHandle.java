package org.jparallel.internal.pool;

import org.jparallel.api.PoolRun;
import org.jparallel.api.RunProgress;
import org.jparallel.api.RunTimeline;
import org.jparallel.api.TaskFailure;
import org.jparallel.internal.wire.ServiceThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The {@link PoolRun} of a pool's {@link Run}: its snapshots are taken under the pool's lock, its results and
 * failures come from its {@link Gatherer}, stopping and waiting go through the {@link RunWaiter}. Progress
 * listeners and timeouts run on one clock thread shared by every pool; a timeout's stop, which waits for the
 * workers to give their tasks back, on a thread of its own. Thread-safe.
 *
 * @param <R> the result type of one element
 */
public final class RunHandle<R> implements PoolRun<R> {

    private static final Logger LOG = LoggerFactory.getLogger(RunHandle.class);
    private static final ScheduledExecutorService CLOCK = Executors.newSingleThreadScheduledExecutor(
            body -> ServiceThreads.daemon(body, "jparallel-run-clock"));

    private final PoolState state;
    private final WorkerRoster workers;
    private final RunWaiter waiter;
    private final Run run;
    private final Gatherer gatherer;
    private final CompletableFuture<List<R>> outcome;

    @SuppressWarnings("unchecked")
    RunHandle(PoolState state, WorkerRoster workers, RunWaiter waiter, Run run, Gatherer gatherer, Duration timeout) {
        this.state = state;
        this.workers = workers;
        this.waiter = waiter;
        this.run = run;
        this.gatherer = gatherer;
        this.outcome = (CompletableFuture<List<R>>) (CompletableFuture<?>) gatherer.future();
        if (timeout != null) {
            long left = run.startedNanos + timeout.toNanos() - System.nanoTime();
            ScheduledFuture<?> stop = CLOCK.schedule(() -> ServiceThreads.daemon(
                    () -> waiter.cancel(run, RunWaiter.timedOut(timeout.toMillis())), "jparallel-timeout-" + run.id).start(),
                    left, TimeUnit.NANOSECONDS);
            outcome.whenComplete((results, failure) -> stop.cancel(false));
        }
    }

    @Override
    public RunProgress progress() {
        synchronized (state) {
            return run.progress(workers.current(), workers.live(), System.nanoTime());
        }
    }

    @Override
    public RunTimeline timeline() {
        synchronized (state) {
            return run.timeline(workers.current(), System.nanoTime());
        }
    }

    @Override
    public PoolRun<R> onProgress(Duration every, Consumer<? super RunProgress> listener) {
        long nanos = every.toNanos();
        if (nanos <= 0) {
            throw new IllegalArgumentException("progress comes every positive duration, not every " + every);
        }
        ScheduledFuture<?> ticks = CLOCK.scheduleAtFixedRate(() -> {
            RunProgress now = progress();
            if (!now.finished()) {
                tell(listener, now);
            }
        }, nanos, nanos, TimeUnit.NANOSECONDS);
        outcome.whenCompleteAsync((results, failure) -> {
            ticks.cancel(false);
            tell(listener, progress());
        }, CLOCK);
        return this;
    }

    /** A listener that throws is the user's bug: it is logged, and the clock goes on for the others. */
    private static void tell(Consumer<? super RunProgress> listener, RunProgress progress) {
        try {
            listener.accept(progress);
        } catch (RuntimeException e) {
            LOG.warn("a run's progress listener threw", e);
        }
    }

    @Override
    public boolean isDone() {
        synchronized (state) {
            return run.isFinished();
        }
    }

    @Override
    public boolean cancel() {
        return waiter.cancel(run, "cancelled");
    }

    @Override
    public void waitFor() throws InterruptedException {
        waiter.awaitFinished(run, 0);
    }

    @Override
    public boolean waitFor(Duration timeout) throws InterruptedException {
        return waiter.awaitFinished(run, System.nanoTime() + Math.max(1, timeout.toNanos()));
    }

    @Override
    public List<R> get() throws InterruptedException {
        waitFor();
        return outcome();
    }

    @Override
    public List<R> get(Duration timeout) throws InterruptedException, TimeoutException {
        if (!waitFor(timeout)) {
            throw new TimeoutException("the run had not finished after " + timeout);
        }
        return outcome();
    }

    /**
     * Waits for the outcome and returns it, or throws what failed it, as {@link #get()} does; but an interrupt
     * stops the run and throws {@link CancellationException} ("interrupted: …"), with the thread's interrupt
     * flag set again. What the blocking {@code WorkerPool} calls ({@code map}, {@code apply}) do.
     */
    public List<R> await() {
        waiter.await(run, 0);
        return outcome();
    }

    /** The outcome of the finished run. */
    private List<R> outcome() {
        try {
            return outcome.get();
        } catch (CancellationException e) {
            throw Cancellations.why(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<R> results() {
        return (List<R>) gatherer.resultsByElement(elementsRead());
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<R> resultsByArrival() {
        return (List<R>) gatherer.resultsByArrival(elementsRead());
    }

    private long elementsRead() {
        synchronized (state) {
            return run.elementsQueued();
        }
    }

    @Override
    public List<TaskFailure> failures() {
        return gatherer.failures();
    }

    @Override
    public CompletableFuture<List<R>> toCompletableFuture() {
        return outcome.copy();
    }
}
