package org.jparallel.api;

import java.time.Duration;

/**
 * A flag that processes wait for (Python's {@code multiprocessing.Event}), made by {@link Shared#event()}.
 * It starts cleared; {@link #set()} raises it and lets every waiter go, {@link #clear()} lowers it.
 *
 * <pre>{@code
 * SharedEvent go = Shared.event();
 * var started = pool.mapAsync(i -> {
 *     go.await();                 // every task waits here…
 *     return work(i);
 * }, inputs);
 * go.set();                       // …until the notebook says go
 * }</pre>
 *
 * <p>A waiter that was waiting when {@code set()} was called returns true even if the flag is cleared again
 * before it looks (the event counts how often it was set), so a quick {@code set(); clear();} wakes everyone
 * waiting at that moment, as in Python. Waiting polls the shared memory with the back-off of
 * {@link SharedLock}; an interrupted waiter gives up with a {@link java.util.concurrent.CancellationException}.
 * Thread-safe.
 */
public interface SharedEvent extends SharedObject {

    /** Raises the flag: every waiter returns, and later waits return at once until {@link #clear()}. */
    void set();

    /** Lowers the flag: later waits wait for the next {@link #set()}. */
    void clear();

    /** Whether the flag is raised now (Python's {@code is_set()}). */
    boolean isSet();

    /** Waits until the flag is raised (returns at once if it is). */
    void await();

    /**
     * Waits at most {@code timeout} for the flag (Python's {@code wait(timeout)}).
     *
     * @return true if the flag was raised (now or while waiting), false if the time ran out
     */
    boolean await(Duration timeout);
}
