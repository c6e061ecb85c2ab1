package org.jparallel.internal.pool;

import java.time.Duration;
import java.util.Locale;

/**
 * How long a pool worker may stay silent. Every pool worker sends a heartbeat twice a second from a thread
 * of its own, whatever its tasks do; the kernel notes when it last heard anything from each worker. A worker
 * silent for {@value #NOT_ANSWERING_MS} ms (or half the limit, if that is shorter) is shown as not answering
 * in a run's progress; one silent for the limit is declared unresponsive: killed (SIGKILL), its running task
 * failed with {@code WORKER_UNRESPONSIVE}, its queued tasks handed to other workers, and a new process started
 * in its place.
 *
 * <p>A stopped process (SIGSTOP), a JVM frozen whole (a native call holding every thread at a safepoint, a
 * stop-the-world pause longer than the limit) sends nothing. A task merely long — in a loop, a sleep, or
 * native code that holds only its own thread — leaves the heartbeat running: that worker is busy, not silent,
 * and the display shows how long its task has been running.
 *
 * <p>The limit is {@value #DEFAULT_LIMIT_S} s unless the pool's builder or the system property
 * {@value #LIMIT_PROPERTY} (seconds) says otherwise; 0 turns the verdict off (a worker is then only shown as
 * not answering, as when a debugger holds it at a breakpoint).
 */
record Liveness(long limitNanos, long notAnsweringNanos) {

    /** System property: the liveness limit in seconds (decimals allowed), 0 for none. */
    static final String LIMIT_PROPERTY = "jparallel.pool.livenessLimit";
    static final long DEFAULT_LIMIT_S = 60;
    static final long NOT_ANSWERING_MS = 3000;
    /**
     * The shortest limit: four heartbeats. Shorter, a worker whose beat is delayed by a busy machine would be
     * killed though it works.
     */
    static final Duration MIN_LIMIT = Duration.ofSeconds(2);

    /** Limits for a pool: {@code limit} if given (null: the system property, else the default). */
    static Liveness of(Duration limit) {
        Duration chosen = limit != null ? limit : configuredLimit();
        check(chosen);
        long nanos = chosen.toNanos();
        long notAnswering = nanos == 0 ? NOT_ANSWERING_MS * 1_000_000 : Math.min(NOT_ANSWERING_MS * 1_000_000, nanos / 2);
        return new Liveness(nanos, notAnswering);
    }

    /** Refuses a limit that is negative or shorter than {@link #MIN_LIMIT} (0 is allowed: no limit). */
    static void check(Duration limit) {
        if (limit.isNegative() || (!limit.isZero() && limit.compareTo(MIN_LIMIT) < 0)) {
            throw new IllegalArgumentException("a liveness limit must be at least " + MIN_LIMIT.toSeconds()
                    + " s (or 0 for none), not " + seconds(limit.toNanos()));
        }
    }

    private static Duration configuredLimit() {
        String text = System.getProperty(LIMIT_PROPERTY);
        if (text == null || text.isBlank()) {
            return Duration.ofSeconds(DEFAULT_LIMIT_S);
        }
        try {
            return Duration.ofNanos(Math.round(Double.parseDouble(text.trim()) * 1e9));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the system property " + LIMIT_PROPERTY
                    + " is the liveness limit in seconds, such as 60; not " + text, e);
        }
    }

    /** Whether a worker that has been silent this long is shown as not answering. */
    boolean notAnswering(long silentNanos) {
        return silentNanos >= notAnsweringNanos;
    }

    /** Whether a worker that has been silent this long is declared unresponsive. */
    boolean unresponsive(long silentNanos) {
        return limitNanos > 0 && silentNanos >= limitNanos;
    }

    /** Why a worker was declared unresponsive, for its tasks' failures and the log. */
    String verdict(long silentNanos) {
        return "the worker stopped answering: nothing was heard from it for " + seconds(silentNanos)
                + " (liveness limit " + seconds(limitNanos) + "); it was killed and replaced";
    }

    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }
}
