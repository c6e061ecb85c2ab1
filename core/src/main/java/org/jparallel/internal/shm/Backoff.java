package org.jparallel.internal.shm;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * How a thread waits for another process to change shared memory. Java has no wake-up that crosses
 * processes, so every shared lock and synchronization primitive polls its words, pausing between polls
 * with this back-off: it spins briefly ({@link Thread#onSpinWait()}), then yields, then parks for a
 * growing time — at most 0.1 ms during the first 10 ms of the wait, so the end of a short wait is noticed
 * soon, then at most 1 ms, so a long wait costs almost no CPU.
 *
 * <p>After the spinning rounds a pause checks the timeout and the thread's interrupt flag: an interrupted
 * waiter gives up with a {@link CancellationException} (its flag stays set), so stopping a cell or
 * cancelling a task ends every wait. {@link #due(long)} paces the slower checks a waiter makes on the
 * way, such as whether another process is still alive. One instance per wait, used by one thread.
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
    private final long timeoutNanos;
    private final Supplier<String> awaited;
    private int round;
    private long park = MIN_PARK_NS;
    private boolean checked;
    private long checkedAt;

    /**
     * A wait of at most {@code timeoutNanos} (negative: for ever) for what {@code awaited} describes, as in
     * "interrupted while waiting for " + awaited (asked only when that message is needed).
     */
    Backoff(long timeoutNanos, Supplier<String> awaited) {
        this.timeoutNanos = timeoutNanos;
        this.awaited = awaited;
    }

    /** A timeout as nanoseconds for {@link Backoff}: negative durations are 0, huge ones saturate. */
    static long nanos(Duration timeout) {
        try {
            return Math.max(timeout.toNanos(), 0);
        } catch (ArithmeticException e) {
            return timeout.isNegative() ? 0 : Long.MAX_VALUE;
        }
    }

    /**
     * Polls {@code done} until it is true (then returns true) or {@code timeoutNanos} have passed (then
     * false); negative waits for ever, 0 polls once.
     *
     * @throws CancellationException if the thread is interrupted while it waits
     */
    static boolean until(long timeoutNanos, Supplier<String> awaited, BooleanSupplier done) {
        if (done.getAsBoolean()) {
            return true;
        }
        if (timeoutNanos == 0) {
            return false;
        }
        Backoff backoff = new Backoff(timeoutNanos, awaited);
        while (backoff.pause()) {
            if (done.getAsBoolean()) {
                return true;
            }
        }
        return false;
    }

    /** Whether the wait is still in its first, spinning rounds, too early for slow checks. */
    boolean spinning() {
        return round < SPINS;
    }

    /**
     * Whether a slow check is due: true once the spinning rounds are over, then at most once every
     * {@code intervalNanos}.
     */
    boolean due(long intervalNanos) {
        if (spinning()) {
            return false;
        }
        long now = System.nanoTime();
        if (checked && now - checkedAt < intervalNanos) {
            return false;
        }
        checked = true;
        checkedAt = now;
        return true;
    }

    /**
     * Waits a little before the next poll.
     *
     * @return false if the timeout has passed (the caller stops waiting), else true
     * @throws CancellationException if the thread is interrupted (its interrupt flag stays set)
     */
    boolean pause() {
        if (round < SPINS) {
            round++;
            Thread.onSpinWait();
            return true;
        }
        long waited = System.nanoTime() - start;
        long left = timeoutNanos < 0 ? Long.MAX_VALUE : timeoutNanos - waited;
        if (left <= 0) {
            return false;
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException("interrupted while waiting for " + awaited.get());
        }
        if (round < SPINS + YIELDS) {
            round++;
            Thread.yield();
            return true;
        }
        LockSupport.parkNanos(this, Math.min(park, left));
        park = Math.min(2 * park, waited < SHORT_WAIT_NS ? SHORT_PARK_NS : MAX_PARK_NS);
        return true;
    }
}
