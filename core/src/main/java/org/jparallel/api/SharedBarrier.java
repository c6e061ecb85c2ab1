package org.jparallel.api;

import java.time.Duration;

/**
 * A barrier that works across processes (Python's {@code multiprocessing.Barrier}), made by
 * {@link Shared#barrier(int)} or {@link Shared#barrier(int, Duration)}: {@link #await()} waits until
 * {@link #parties()} threads, of any processes, have called it, then lets them all go. It is reusable: the
 * next {@code parties} calls form the next generation.
 *
 * <pre>{@code
 * SharedBarrier step = Shared.barrier(3, Duration.ofSeconds(30));   // 2 workers and the notebook
 * var done = pool.mapAsync(w -> { prepare(w); step.await(); return compute(w); }, List.of(0, 1));
 * prepareHere();
 * step.await();
 * }</pre>
 *
 * <p><b>Broken.</b> A barrier breaks, for every party waiting and for every later {@code await()} until
 * {@link #reset()}, when a waiter's time runs out, a waiter is interrupted, {@link #abort()} is called or a
 * waiting party's process dies (noticed by the others within about 10 ms). Waiters then get a
 * {@link BarrierBrokenException} — unchecked, unlike {@link java.util.concurrent.BrokenBarrierException},
 * so that it passes through pool tasks and lambdas. A party that dies <em>before</em> it arrives looks like
 * a slow one: only a timeout ends the others' wait, so give one (here or to the factory).
 *
 * <p><b>No action.</b> Python's {@code Barrier(parties, action)} runs {@code action} in the last arriving
 * party. Across processes the action would have to travel with the barrier and run in whichever process
 * arrives last, but a shared object travels as a reference to memory, and code cannot live in shared
 * memory. Instead let one party act between two waits:
 * {@code if (step.await() == 0) action(); step.await();}.
 *
 * <p>Waiting polls the shared memory with the back-off of {@link SharedLock}; an interrupted waiter breaks
 * the barrier and gives up with a {@link java.util.concurrent.CancellationException}. Thread-safe.
 */
public interface SharedBarrier extends SharedObject {

    /**
     * Waits until every party has arrived, for at most the barrier's default timeout if it has one.
     *
     * @return the arrival index, 0 for the first party of this generation and {@code parties() - 1} for the
     *         last, as Python's {@code wait()}
     * @throws BarrierBrokenException if the barrier is or becomes broken (this wait's timeout included)
     */
    int await();

    /** Like {@link #await()}, for at most {@code timeout} instead of the default. */
    int await(Duration timeout);

    /** Breaks the barrier: waiters and later calls get {@link BarrierBrokenException} until {@link #reset()}. */
    void abort();

    /** Starts a new, unbroken generation; parties still waiting get {@link BarrierBrokenException}. */
    void reset();

    /** Whether the barrier is broken. */
    boolean isBroken();

    /** How many parties must arrive. */
    int parties();

    /** How many parties are waiting now (Python's {@code n_waiting}). */
    int numberWaiting();
}
