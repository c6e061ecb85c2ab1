package org.jparallel.api;

import java.time.Duration;
import java.util.List;

/**
 * A snapshot of a {@link PoolRun}: how many of its elements are done, failed or cancelled out of how many,
 * how fast it goes, when it should end, and what each worker is doing. Immutable; a fresh one comes from
 * {@link PoolRun#progress()} or {@link PoolRun#onProgress}. (Python's {@code AsyncResult.progress} and
 * ipyparallel's {@code AsyncResult.progress}/{@code elapsed}, with the per-worker rows of its wait display.)
 *
 * <p>Counts are of elements: a map's elements, one per worker for {@link WorkerPool#submitOnWorkers}, one for
 * an {@code apply}. {@code done} counts every element that finished running, whether it returned or threw,
 * including those a worker finished inside a chunk it has not reported yet (workers say how far they are
 * every 200 ms or so); so it moves while long chunks run. It never goes down, even when a chunk is run again
 * after its worker died. {@code failed} are the done elements that threw or could not be sent back;
 * {@code cancelled} the elements that never ran because the run was stopped ({@link PoolRun#cancel}, a
 * timeout, fail-fast): they are not failures.
 *
 * @param done      elements finished, failures included (never more than {@code total} when it is known)
 * @param failed    of those, the ones that failed
 * @param cancelled elements that will not run because the run was stopped
 * @param total     how many elements the run has, or -1 while its input is still being read (a stream)
 * @param elapsed   time since the run was submitted
 * @param rate      elements done per second since the first one was handed to a worker; 0 before any
 * @param eta       how long until every element is done at that rate; null when not known (nothing done
 *                  yet, total unknown) and {@link Duration#ZERO} once the run is finished
 * @param finished  whether every element is accounted for: the run will not change any more
 * @param workers   one row per worker of the pool, and per worker that worked for this run and has gone
 *                  (died, replaced), in worker index order
 */
public record RunProgress(long done, long failed, long cancelled, long total, Duration elapsed, double rate,
                          Duration eta, boolean finished, List<Worker> workers) {

    public RunProgress {
        workers = List.copyOf(workers);
    }

    /**
     * Elements that were run again because the worker running them died: the sum of the workers'
     * {@link Worker#retried()}. They count once in {@code done} when they finish.
     */
    public long retried() {
        return workers.stream().mapToLong(Worker::retried).sum();
    }

    /** Whether the number of elements is known (the input has been read to its end). */
    public boolean totalKnown() {
        return total >= 0;
    }

    /** Where a worker is, as a run sees it. */
    public enum State {
        /** Its JVM was started and has not said hello yet. */
        STARTING,
        /** Ready, with no task. */
        IDLE,
        /** Running or holding tasks. */
        BUSY,
        /** It has sent nothing for a while (a stopped or frozen JVM); it is killed once past the pool's liveness limit. */
        SILENT,
        /** Leaving the pool: finishes what it holds, gets nothing new. */
        RETIRING,
        /** Asked to exit. */
        STOPPING,
        /** Its process has ended. */
        DEAD
    }

    /**
     * One worker's part in the run.
     *
     * @param index      its index in the pool (a replacement takes the index of the worker it replaces)
     * @param pid        its process id
     * @param state      where it is now
     * @param done       elements of this run it finished, failures included
     * @param runningFor how long the task it runs now has been running; {@link Duration#ZERO} if it runs none
     * @param silentFor  how long it has sent nothing, when it is {@link State#SILENT}; else {@link Duration#ZERO}
     * @param retried    elements of this run it was running when it died, which were handed to another worker to
     *                   run again (counted on the worker that lost them, so a dead worker's row says what became
     *                   of its task; each is in {@code done} once, on the worker that finished it)
     */
    public record Worker(int index, long pid, State state, long done, Duration runningFor, Duration silentFor,
                         long retried) {
    }
}
