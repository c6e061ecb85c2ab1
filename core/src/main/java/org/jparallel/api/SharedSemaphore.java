package org.jparallel.api;

import java.time.Duration;

/**
 * A counting semaphore that works across processes (Python's {@code multiprocessing.Semaphore} and
 * {@code BoundedSemaphore}), made by {@link Shared#semaphore(int)} or {@link Shared#boundedSemaphore(int)}.
 * It holds a number of permits: {@code acquire} takes one, waiting while there are none, and
 * {@code release} gives one back, from any thread of any process.
 *
 * <pre>{@code
 * SharedSemaphore slots = Shared.boundedSemaphore(2);  // at most two downloads at a time
 * pool.map(url -> {
 *     try (var permit = slots.hold()) {                 // with slots:
 *         return download(url);
 *     }
 * }, urls);
 * }</pre>
 *
 * <p><b>Bounded.</b> A bounded semaphore refuses a release that would raise its permits above the initial
 * count with {@link TooManyReleasesException} (Python raises {@code ValueError}): a release without a
 * matching acquire is a bug it reports at once.
 *
 * <p><b>A holder that dies.</b> A semaphore does not know who holds its permits, so a permit taken by a
 * process that dies before releasing it is gone, as in Python: the semaphore has one permit fewer from
 * then on. Hold permits in {@code try (var permit = semaphore.hold())} so that exceptions give them back,
 * and use timeouts where a worker may be killed.
 *
 * <p><b>Waiting</b> polls the shared memory with the back-off of {@link SharedLock}; an interrupted waiter
 * gives up with a {@link java.util.concurrent.CancellationException}. Thread-safe.
 */
public interface SharedSemaphore extends SharedObject {

    /** Takes a permit, waiting as long as it takes. */
    void acquire();

    /** Takes a permit if one becomes available within {@code timeout}; returns whether it did. */
    boolean acquire(Duration timeout);

    /** Takes a permit if one is available now; returns whether it did. */
    boolean tryAcquire();

    /**
     * Gives a permit back.
     *
     * @throws TooManyReleasesException if the semaphore is bounded and already has its initial permits
     */
    void release();

    /** Takes a permit and returns it released when closed: Python's {@code with sem:}. */
    Permit hold();

    /** The permits available now (Python's {@code get_value()}). */
    int availablePermits();

    /** Whether release refuses to go above the initial permits ({@link Shared#boundedSemaphore(int)}). */
    boolean isBounded();

    /** One permit of a {@link SharedSemaphore}, from {@link SharedSemaphore#hold()}: closing it releases it. */
    interface Permit extends AutoCloseable {

        /** Releases the permit; a second call does nothing. */
        @Override
        void close();
    }
}
