package org.jparallel.internal.shm;

import java.util.concurrent.locks.LockSupport;

/**
 * How a thread waits for another process to change shared memory: it spins briefly
 * ({@link Thread#onSpinWait()}), then yields, then parks with a growing back-off — up to 0.1 ms during
 * the first 10 ms of its wait, so the end of a short wait is noticed soon, then up to 1 ms, so a long
 * wait costs almost no CPU. Another process cannot wake a parked thread, hence the polling. One
 * instance per wait; not thread-safe.
 */
final class Backoff {

    private static final int SPINS = 256;
    private static final int YIELDS = 32;
    private static final long MIN_PARK_NS = 10_000;
    /** Park at most this long during the first {@link #SHORT_WAIT_NS} of a wait: most waits are short. */
    private static final long SHORT_PARK_NS = 100_000;
    private static final long SHORT_WAIT_NS = 10_000_000;
    private static final long MAX_PARK_NS = 1_000_000;

    private final long start = System.nanoTime();
    private int round;
    private long park = MIN_PARK_NS;

    /** Whether the wait is still in its spinning phase, where checking the clock would cost more than the spin. */
    boolean spinning() {
        return round < SPINS;
    }

    /** Nanoseconds since the wait began. */
    long waited() {
        return System.nanoTime() - start;
    }

    /** Nanoseconds left of {@code timeoutNanos} (negative: no limit, {@link Long#MAX_VALUE} left). */
    long left(long timeoutNanos) {
        return timeoutNanos < 0 ? Long.MAX_VALUE : timeoutNanos - waited();
    }

    /** Waits a little, at most {@code leftNanos}: the next step of spin, yield, park. */
    void pause(long leftNanos) {
        int r = round++;
        if (r < SPINS) {
            Thread.onSpinWait();
        } else if (r < SPINS + YIELDS) {
            Thread.yield();
        } else {
            LockSupport.parkNanos(this, Math.min(park, leftNanos));
            park = Math.min(2 * park, waited() < SHORT_WAIT_NS ? SHORT_PARK_NS : MAX_PARK_NS);
        }
    }
}
