package org.jparallel.internal.pool;

import org.jparallel.api.TaskFailure;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * A call submitted to a pool ({@code map}, {@code apply} …) and its outcome, as the public {@code WorkerPool}
 * hands it on: waited for ({@link #await}), or as a future. Thread-safe.
 *
 * @param <R> what the call returns: a list of results for a map, one result for an apply
 */
public final class PendingCall<R> {

    private final RunWaiter waiter;
    private final Run run;
    private final Gatherer gatherer;
    private final CompletableFuture<R> future;

    PendingCall(RunWaiter waiter, Run run, Gatherer gatherer, CompletableFuture<R> future) {
        this.waiter = waiter;
        this.run = run;
        this.gatherer = gatherer;
        this.future = future;
    }

    /** The same call, its outcome turned by {@code outcome} (a one-element list into its element). */
    <S> PendingCall<S> then(Function<? super R, ? extends S> outcome) {
        return new PendingCall<>(waiter, run, gatherer, future.thenApply(outcome));
    }

    /**
     * Completes with the outcome, or with a {@code WorkerException} listing the failures, or with the reason
     * the call was stopped early.
     */
    public CompletableFuture<R> future() {
        return future;
    }

    /** The failures known so far, in element order, while the call may still run. */
    public List<TaskFailure> failures() {
        return gatherer.failures();
    }

    /**
     * Waits for the outcome and returns it, or throws what failed it ({@code WorkerException}, the input's own
     * exception …). An interrupt stops the call and throws {@link CancellationException}.
     */
    public R await() {
        waiter.await(run, 0);
        try {
            return future.get();
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
}
