package org.jparallel.internal.shm;

import org.jparallel.api.BarrierBrokenException;
import org.jparallel.api.SharedBarrier;
import org.jparallel.api.SharedObject;

import java.time.Duration;
import java.util.concurrent.CancellationException;

/**
 * A {@link SharedBarrier}: one state word at {@link SyncLayout#BARRIER_STATE_AT}, changed only by
 * compare-and-set, and one arrival word per party.
 *
 * <p>The state is {@code generation << 40 | history << 17 | broken << 16 | arrived}. Arriving adds one to
 * {@code arrived}; the last party instead starts the next generation, and {@link #reset()} does too, each
 * shifting into {@code history} how the generation ended (1 tripped, 0 reset). A waiter that sees a newer
 * generation reads from the history whether its own tripped, however many generations went by since, up to
 * 23. Breaking sets {@code broken} in the current generation. Each party that arrives writes
 * {@code generation << 32 | pid} in its arrival word, so waiters can find a waiting party whose process
 * died, every 10 ms, and break the barrier.
 */
final class RealSharedBarrier extends RealShared implements SharedBarrier {

    private static final long ARRIVED = 0xFFFF;
    private static final long BROKEN = 1L << 16;
    private static final int HISTORY_AT = 17;
    private static final int HISTORY_BITS = 23;
    private static final int GENERATION_AT = HISTORY_AT + HISTORY_BITS;
    private static final long GENERATIONS = 1L << (64 - GENERATION_AT);
    private static final long DEAD_CHECK_EVERY_NS = 10_000_000;
    private static final String BROKEN_MESSAGE = "the SharedBarrier is broken (a party timed out, was interrupted"
            + " or died, or abort() was called); reset() makes it usable again";

    private final int parties;

    RealSharedBarrier(Segment segment) {
        super(segment);
        this.parties = segment.length;
    }

    /** Writes the default timeout of a new barrier's segment (negative: none). */
    static RealSharedBarrier create(Segment segment, long timeoutNanos) {
        Access.LONG.setVolatile(segment.buffer, SyncLayout.BARRIER_TIMEOUT_AT, timeoutNanos);
        return new RealSharedBarrier(segment);
    }

    @Override
    public Class<? extends SharedObject> publicType() {
        return SharedBarrier.class;
    }

    private long state() {
        return (long) Access.LONG.getVolatile(buffer, SyncLayout.BARRIER_STATE_AT);
    }

    private long exchange(long expected, long next) {
        return (long) Access.LONG.compareAndExchange(buffer, SyncLayout.BARRIER_STATE_AT, expected, next);
    }

    private static long generation(long state) {
        return state >>> GENERATION_AT;
    }

    private static int arrived(long state) {
        return (int) (state & ARRIVED);
    }

    /** The first state of the generation after {@code state}'s, which ended tripped or reset. */
    private static long nextGeneration(long state, boolean tripped) {
        long history = ((state >>> HISTORY_AT) << 1 | (tripped ? 1 : 0)) & ((1L << HISTORY_BITS) - 1);
        return (generation(state) + 1) % GENERATIONS << GENERATION_AT | history << HISTORY_AT;
    }

    private int await(long timeoutNanos) {
        checkOpen();
        long state = state();
        while (true) {
            if ((state & BROKEN) != 0) {
                throw new BarrierBrokenException(BROKEN_MESSAGE);
            }
            boolean last = arrived(state) + 1 == parties;
            long witness = exchange(state, last ? nextGeneration(state, true) : state + 1);
            if (witness == state) {
                break;
            }
            state = witness;
        }
        int index = arrived(state);
        if (index + 1 == parties) {
            return index;
        }
        long generation = generation(state);
        Access.LONG.setVolatile(buffer, SyncLayout.ARRIVALS_AT + 8 * index, generation << 32 | Pids.CURRENT);
        Backoff backoff = new Backoff(timeoutNanos, () -> "the other parties of " + this);
        try {
            do {
                if (over(generation, state())) {
                    return index;
                }
                if (backoff.due(DEAD_CHECK_EVERY_NS)) {
                    breakIfAPartyDied(generation);
                }
            } while (backoff.pause());
        } catch (CancellationException e) {
            breakGeneration(generation);
            throw e;
        }
        if (breakGeneration(generation)) {
            throw new BarrierBrokenException("timed out after " + Duration.ofNanos(timeoutNanos) + " waiting for "
                    + parties + " parties, " + arrived(state()) + " of them arrived; the barrier is now broken for"
                    + " every party, until reset()");
        }
        over(generation, state()); // it moved on as the time ran out: returns if it tripped, else throws
        return index;
    }

    /**
     * Whether {@code generation} is over in {@code state}: true if it tripped, false if it still waits.
     *
     * @throws BarrierBrokenException if it was broken or reset
     */
    private static boolean over(long generation, long state) {
        if (generation(state) != generation) {
            long since = (generation(state) - generation - 1 + GENERATIONS) % GENERATIONS;
            if (since >= HISTORY_BITS) {
                throw new BarrierBrokenException("this party waited while " + (since + 1) + " generations of the"
                        + " SharedBarrier went by, too many to tell whether its own completed or was reset");
            }
            if ((state >>> (HISTORY_AT + since) & 1) == 0) {
                throw new BarrierBrokenException("reset() was called while this party waited at the SharedBarrier");
            }
            return true;
        }
        if ((state & BROKEN) != 0) {
            throw new BarrierBrokenException(BROKEN_MESSAGE);
        }
        return false;
    }

    /** Sets the broken flag of {@code generation}; false if it is over or broken already. */
    private boolean breakGeneration(long generation) {
        long state = state();
        while (generation(state) == generation && (state & BROKEN) == 0) {
            long witness = exchange(state, state | BROKEN);
            if (witness == state) {
                return true;
            }
            state = witness;
        }
        return false;
    }

    /** Breaks the barrier if a party of {@code generation} died waiting (0: arrived, pid not yet written). */
    private void breakIfAPartyDied(long generation) {
        for (int i = 0, arrived = arrived(state()); i < arrived; i++) {
            long arrival = (long) Access.LONG.getVolatile(buffer, SyncLayout.ARRIVALS_AT + 8 * i);
            long pid = arrival & 0xFFFF_FFFFL;
            if (arrival >>> 32 == generation && pid != 0 && pid != Pids.CURRENT && !Pids.isAlive(pid)
                    && breakGeneration(generation)) {
                throw new BarrierBrokenException("party " + i + " (pid " + pid + ") died while waiting at the"
                        + " SharedBarrier; it is now broken for every party, until reset()");
            }
        }
    }

    @Override
    public int await() {
        return await((long) Access.LONG.getVolatile(buffer, SyncLayout.BARRIER_TIMEOUT_AT));
    }

    @Override
    public int await(Duration timeout) {
        return await(Backoff.nanos(timeout));
    }

    @Override
    public void abort() {
        checkOpen();
        long state;
        do {
            state = state();
        } while ((state & BROKEN) == 0 && !breakGeneration(generation(state))); // again if a generation ended meanwhile
    }

    @Override
    public void reset() {
        checkOpen();
        long state = state();
        long witness;
        while ((witness = exchange(state, nextGeneration(state, false))) != state) {
            state = witness;
        }
    }

    @Override
    public boolean isBroken() {
        checkOpen();
        return (state() & BROKEN) != 0;
    }

    @Override
    public int parties() {
        return parties;
    }

    @Override
    public int numberWaiting() {
        checkOpen();
        long state = state();
        return (state & BROKEN) != 0 ? 0 : arrived(state);
    }

    @Override
    public String toString() {
        if (isClosed()) {
            return "SharedBarrier(closed)";
        }
        long state = state();
        return "SharedBarrier(" + parties + " parties, " + ((state & BROKEN) != 0 ? "broken" : arrived(state) + " waiting") + ")";
    }
}

