package org.jparallel.api;

import java.time.Duration;

/**
 * A lock that works across processes (Python's {@code multiprocessing.Lock} and {@code RLock}), made by
 * {@link Shared#lock()} or {@link Shared#rlock()}, or the lock of a value or array
 * ({@link SharedValue#getLock()}).
 *
 * <pre>{@code
 * SharedLock lock = Shared.lock();
 * pool.map(x -> {
 *     try (var held = lock.hold()) {          // released however the block ends
 *         Files.writeString(log, x + "\n", StandardOpenOption.APPEND);
 *     }
 *     return x;
 * }, List.of(1, 2, 3));
 * }</pre>
 *
 * <p><b>Reentrant or not.</b> A lock from {@link Shared#rlock()} (and the lock of a value or array) may be
 * taken again by the thread that holds it, and must be released as often, by that thread. A lock from
 * {@link Shared#lock()} is not reentrant — taking it again from the holding thread waits, as in
 * Python — and any thread or process may release it.
 *
 * <p><b>A holder that dies.</b> If the process holding the lock ends without releasing it (killed,
 * crashed, {@code System.exit} or a worker stopped with {@code terminate()}), the lock is not held for
 * ever — the problem Python's documentation warns about. The next process to wait for it notices that
 * the holder is gone, takes the lock over and is told: {@link #ownerDied()} (and {@link Hold#ownerDied()})
 * is then true and {@link #deadOwnerPid()} names the dead process, until the lock is released. The data
 * the lock protects may be half-updated, so check or repair it before releasing. Only other processes are
 * watched: a thread of the same process that ends while holding the lock keeps it.
 *
 * <p><b>Waiting.</b> A waiter spins for a few microseconds, then parks with a growing back-off — at most
 * 0.1 ms during the first 10 ms of its wait, then at most 1 ms — so a short hold's release is noticed
 * quickly and a lock held for a long time costs its waiters almost no CPU. An interrupted waiter gives up with a
 * {@link java.util.concurrent.CancellationException} (the interrupt flag stays set), so stopping a cell
 * or cancelling a task also stops a wait.
 *
 * <p>Closing a lock from {@link Shared} releases its memory ({@link SharedObject}); closing the lock of
 * a value or array does nothing (close the value). Thread-safe.
 */
public interface SharedLock extends SharedObject {

    /** Takes the lock, waiting as long as it takes. */
    void acquire();

    /** Takes the lock if it can within {@code timeout}; returns whether it did. */
    boolean acquire(Duration timeout);

    /** Takes the lock if it is free now; returns whether it did. */
    boolean tryAcquire();

    /**
     * Releases the lock (one hold, for a reentrant lock).
     *
     * @throws IllegalMonitorStateException if the lock is not held, or a reentrant lock is held by another thread
     */
    void release();

    /**
     * Takes the lock and returns a hold that releases it when closed: Python's {@code with lock:} is
     * {@code try (var held = lock.hold()) { … }}.
     */
    Hold hold();

    /** Whether the lock is reentrant ({@link Shared#rlock()}, and the locks of values and arrays). */
    boolean isReentrant();

    /** Whether some thread of some process holds the lock now. */
    boolean isLocked();

    /** Whether the calling thread holds the lock. */
    boolean isHeldByCurrentThread();

    /**
     * Whether the current holding was taken over from a process that died while holding the lock; reset
     * when the lock is released.
     */
    boolean ownerDied();

    /** The pid of that dead process, or 0 if the current holding is an ordinary one (or the lock is free). */
    long deadOwnerPid();

    /** One holding of a {@link SharedLock}, from {@link SharedLock#hold()}: closing it releases the lock. */
    interface Hold extends AutoCloseable {

        /** Whether this holding was taken over from a process that died holding the lock ({@link SharedLock#ownerDied()}). */
        boolean ownerDied();

        /** Releases the lock; a second call does nothing. */
        @Override
        void close();
    }
}
