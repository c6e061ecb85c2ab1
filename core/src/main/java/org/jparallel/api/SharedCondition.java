package org.jparallel.api;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * A condition variable that works across processes (Python's {@code multiprocessing.Condition}), made by
 * {@link Shared#condition()} (with a reentrant lock of its own, as Python's default) or
 * {@link Shared#condition(SharedLock)}. A thread holding the condition's lock waits with {@link #await()},
 * which releases the lock while it waits and takes it back before returning; another thread, of any
 * process, changes the shared state under the lock and calls {@link #signal()} or {@link #signalAll()}.
 *
 * <pre>{@code
 * SharedCondition ready = Shared.condition();
 * SharedInt items = Shared.intValue(0);
 * // consumer (a worker)                          // producer (the notebook)
 * try (var held = ready.hold()) {                 try (var held = ready.hold()) {
 *     ready.awaitUntil(() -> items.get() > 0,         items.incrementAndGet();
 *                      Duration.ofSeconds(10));        ready.signal();
 *     items.decrementAndGet();                     }
 * }
 * }</pre>
 *
 * <p><b>Waking.</b> Each waiter has a slot in shared memory; {@link #signal()} marks the longest-waiting one,
 * {@link #signalAll()} every waiter present, so no signal is lost between a waiter's release of the lock
 * and its wait, and a signal never wakes a thread that started waiting after it. A waiter whose time runs
 * out leaves its slot. At most 256 threads, over all processes, wait on one condition at a time.
 *
 * <p><b>Processes that die.</b> The lock recovers as {@link SharedLock} does: a waiter taking the lock back
 * from a holder that died is told through {@link #getLock()}'s {@link SharedLock#ownerDied()}. A signal
 * given to a waiter whose process died is passed on to another waiter within about 10 ms; until then, or
 * if nobody else waits, it may wake a later waiter instead — so, as always with conditions, wait in a loop
 * on the state you need, which {@link #awaitUntil} does.
 *
 * <p>Waiting polls the shared memory with the back-off of {@link SharedLock}. An interrupted waiter takes
 * the lock back and then gives up with a {@link java.util.concurrent.CancellationException}. Closing the
 * condition does not close a lock it was given. Thread-safe.
 */
public interface SharedCondition extends SharedObject {

    /** The lock this condition waits with. */
    SharedLock getLock();

    /** Takes the lock ({@link SharedLock#acquire()}). */
    void acquire();

    /** Takes the lock if it can within {@code timeout}; returns whether it did. */
    boolean acquire(Duration timeout);

    /** Releases the lock ({@link SharedLock#release()}). */
    void release();

    /** Takes the lock and returns a hold that releases it: Python's {@code with cond:}. */
    SharedLock.Hold hold();

    /**
     * Releases the lock, waits for a signal, and takes the lock back (as often as it was held).
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock
     */
    void await();

    /**
     * Like {@link #await()}, for at most {@code timeout} (plus the time to take the lock back).
     *
     * @return true if signalled, false if the time ran out
     */
    boolean await(Duration timeout);

    /**
     * Waits until {@code predicate} is true, checking it with the lock held before each wait (Python's
     * {@code wait_for(predicate)}).
     */
    void awaitUntil(BooleanSupplier predicate);

    /**
     * Like {@link #awaitUntil(BooleanSupplier)}, for at most {@code timeout} in all (Python's
     * {@code wait_for(predicate, timeout)}).
     *
     * @return the predicate's last value: false if the time ran out before it became true
     */
    boolean awaitUntil(BooleanSupplier predicate, Duration timeout);

    /**
     * Wakes the thread that has waited longest, if any (Python's {@code notify()}).
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock
     */
    void signal();

    /**
     * Wakes every waiting thread (Python's {@code notify_all()}).
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock
     */
    void signalAll();
}
