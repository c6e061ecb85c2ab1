package org.jparallel.api;

import org.jparallel.internal.pool.Cancellations;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The pending result of {@link WorkerPool#applyAsync} or {@link WorkerPool#mapAsync} (Python's
 * {@code AsyncResult}). Callbacks run on a pool thread, never on the caller's, and must be quick.
 *
 * @param <R> the result type
 */
public final class AsyncResult<R> {

    private final CompletableFuture<R> future;
    private final Executor callbacks;
    private final Supplier<List<TaskFailure>> failuresSoFar;

    AsyncResult(CompletableFuture<R> future, Executor callbacks, Supplier<List<TaskFailure>> failuresSoFar) {
        this.future = future;
        this.callbacks = callbacks;
        this.failuresSoFar = failuresSoFar;
    }

    /**
     * The failures known so far, in element order, while the call may still run: an element whose worker
     * died (for good, after its retry) or stopped answering, or that threw, is listed as soon as the pool
     * knows, though the call as a whole, as in Python, finishes only when every element has. Empty if none.
     */
    public List<TaskFailure> failures() {
        return failuresSoFar.get();
    }

    /** Whether the call has finished, successfully or not. */
    public boolean ready() {
        return future.isDone();
    }

    /** Whether the call finished without an exception; fails if it has not finished. */
    public boolean successful() {
        if (!future.isDone()) {
            throw new IllegalStateException("the call has not finished yet; check ready() first");
        }
        return !future.isCompletedExceptionally();
    }

    /**
     * Waits for the result; a failure on the worker, or the pool's termination before the call finished,
     * is thrown as {@link WorkerException}.
     */
    public R get() throws InterruptedException {
        try {
            return future.get();
        } catch (CancellationException e) {
            throw Cancellations.why(e);
        } catch (ExecutionException e) {
            throw rethrow(e);
        }
    }

    /** Waits at most this long for the result. */
    public R get(Duration timeout) throws InterruptedException, TimeoutException {
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (CancellationException e) {
            throw Cancellations.why(e);
        } catch (ExecutionException e) {
            throw rethrow(e);
        }
    }

    /** Waits until the call has finished (Python's {@code wait()}). */
    public void waitFor() throws InterruptedException {
        try {
            future.get();
        } catch (ExecutionException | CancellationException e) {
            // finished, unsuccessfully: get() will say how
        }
    }

    /** Waits at most this long; returns whether the call has finished. */
    public boolean waitFor(Duration timeout) throws InterruptedException {
        try {
            future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | CancellationException e) {
            return true;
        } catch (TimeoutException e) {
            return false;
        }
        return true;
    }

    /** Runs {@code callback} with the result when the call succeeds. Returns this result, for chaining. */
    public AsyncResult<R> onSuccess(Consumer<? super R> callback) {
        future.thenAcceptAsync(callback, callbacks);
        return this;
    }

    /** Runs {@code callback} with the failure when the call fails. Returns this result, for chaining. */
    public AsyncResult<R> onError(Consumer<? super Throwable> callback) {
        future.whenCompleteAsync((r, e) -> {
            if (e != null) {
                callback.accept(e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                        ? e.getCause() : e);
            }
        }, callbacks);
        return this;
    }

    /** This result as a {@link CompletableFuture}, for composing with other asynchronous code. */
    public CompletableFuture<R> toCompletableFuture() {
        return future.copy();
    }

    private static RuntimeException rethrow(ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException) {
            return (RuntimeException) cause;
        }
        if (cause instanceof Error) {
            throw (Error) cause;
        }
        return new IllegalStateException(cause);
    }
}
