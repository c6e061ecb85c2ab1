package org.jparallel.api;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A run on a {@link WorkerPool}, going on in the background: a function over elements
 * ({@link WorkerPool#submit}), a task on given workers ({@link WorkerPool#submitOnWorkers}), or a
 * {@code %%parallel} cell. It owns the run's progress, its results and its failures, and can stop it.
 * (ipyparallel's {@code AsyncResult}, Java's {@code Future} of a list.)
 *
 * <pre>{@code
 * PoolRun<Double> run = pool.submit(x -> simulate(x), seeds, RunOptions.defaults().timeout(Duration.ofMinutes(10)));
 * run.onProgress(Duration.ofSeconds(1), p -> System.out.println(p.done() + "/" + p.total() + ", ETA " + p.eta()));
 * List<Double> results = run.get();       // waits; throws WorkerException if an element failed
 * }</pre>
 *
 * <p><b>Results</b> come one per element in input order ({@link #get()}, {@link #results()}), or in the
 * order they were finished ({@link #resultsByArrival()}). <b>Failures are data</b>: {@link #failures()} lists
 * them as they happen (element, worker, PID, exception, remote stack), while the rest of the run goes on,
 * unless it was submitted with {@link RunOptions#failFast(boolean)}.
 *
 * <p><b>Stopping.</b> {@link #cancel()} stops the run: elements not started are dropped, running ones are
 * interrupted (a worker that does not give its task back within a grace period is killed and replaced); a
 * {@link RunOptions#timeout timeout} does the same. Waiting is never stopping: an interrupted
 * {@link #get()} throws {@link InterruptedException} and the run goes on.
 *
 * <p>Thread-safe. Listeners run on a pool thread, never on the caller's, and must be quick.
 *
 * @param <R> the result type of one element
 */
public interface PoolRun<R> {

    /** A snapshot of its progress now. */
    RunProgress progress();

    /**
     * Calls {@code listener} with a fresh snapshot every {@code every} while the run lasts, and once more
     * with the final one (its {@link RunProgress#finished()} true) when it ends; at once with that if it has
     * ended already. Returns this run.
     */
    PoolRun<R> onProgress(Duration every, Consumer<? super RunProgress> listener);

    /**
     * What each worker did for it so far: a span per task, when it ran and how it ended, a row per worker; as
     * a Gantt chart ({@link RunTimeline#toSvg()}, what a notebook shows) or a Chrome trace for Perfetto
     * ({@link RunTimeline#toChromeTrace()}). Ray's {@code ray.timeline()}, Dask's task stream.
     */
    RunTimeline timeline();

    /** Whether it has finished: every element returned, failed or was cancelled. */
    boolean isDone();

    /**
     * Stops it (see the class comment) and returns once it has stopped; {@link #get()} then throws
     * {@link CancellationException}. Returns false, doing nothing, if it had already finished or been stopped.
     */
    boolean cancel();

    /** Waits until it has finished. */
    void waitFor() throws InterruptedException;

    /** Waits at most {@code timeout}; returns whether it has finished. */
    boolean waitFor(Duration timeout) throws InterruptedException;

    /**
     * Waits, then returns every element's result in input order. Throws {@link WorkerException} listing every
     * failure if an element failed; {@link CancellationException} if it was cancelled or timed out; the
     * input's own exception if reading it threw; {@link NotSendableException} if an element could not be sent.
     */
    List<R> get() throws InterruptedException;

    /** {@link #get()}, waiting at most {@code timeout}. */
    List<R> get(Duration timeout) throws InterruptedException, TimeoutException;

    /**
     * Its results so far, one entry per element read so far, in input order: null where the element failed,
     * was cancelled or has not finished yet. Places never shift: entry i is element i's.
     */
    List<R> results();

    /**
     * Its results so far in the order they arrived, one entry per element read so far: null where a failure
     * arrived; elements not finished (not yet, or cancelled) are nulls at the end.
     */
    List<R> resultsByArrival();

    /** The failures so far, in element order; empty if none. */
    List<TaskFailure> failures();

    /** Completes as {@link #get()} returns or throws; for composing with other asynchronous code. */
    CompletableFuture<List<R>> toCompletableFuture();
}
