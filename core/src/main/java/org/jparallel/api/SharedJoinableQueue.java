package org.jparallel.api;

import java.time.Duration;

/**
 * A {@link SharedQueue} that counts unfinished tasks (Python's {@code multiprocessing.JoinableQueue}), made by
 * {@link Shared#joinableQueue()}: every item put counts as one unfinished task until a consumer calls
 * {@link #taskDone()} for it, and {@link #join()} waits until none is left.
 *
 * <pre>{@code
 * SharedJoinableQueue<Integer> jobs = Shared.joinableQueue();
 * pool.applyAsync(() -> { while (true) { work(jobs.get()); jobs.taskDone(); } });
 * jobs.put(1); jobs.put(2);
 * jobs.join();                  // both were taken and done
 * }</pre>
 *
 * <p>A producer killed in the middle of a put may leave one task counted that never arrived, so a
 * {@code join()} would wait for ever: prefer {@link #join(Duration)} where processes may be killed. Thread-safe.
 *
 * @param <E> the type of the items
 */
public interface SharedJoinableQueue<E> extends SharedQueue<E> {

    /**
     * Says that the task of an item taken from the queue is finished.
     *
     * @throws IllegalStateException if it is called more often than items were put
     */
    void taskDone();

    /** Waits until every item put has been taken and marked {@linkplain #taskDone() done}. */
    void join();

    /** {@link #join()}, waiting at most {@code timeout}; returns whether every task was done. */
    boolean join(Duration timeout);

    /** How many tasks are unfinished: put and not yet marked done. */
    long unfinishedTasks();
}
