package org.jparallel.api;

import org.jparallel.testing.PoolPerClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Values past Jackson's default limits (20 M characters in one string) cross both ways, and fail as data. */
class LargeValuesPoolIT {

    private static final int HUGE = 25_000_000;
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final PoolPerClass POOL = new PoolPerClass(1);

    @Test
    void anExceptionWithAHugeMessageFailsItsTaskAndTheCellShowsItsStart() {
        // the worker's answer was dropped as "not a message" and the call waited for ever
        WorkerException e = assertTimeoutPreemptively(LIMIT, () -> assertThrows(WorkerException.class,
                () -> POOL.get().apply(() -> {
                    throw new IllegalStateException("y".repeat(HUGE));
                })));
        assertEquals(HUGE, e.failures().get(0).message().length());
        assertTrue(e.getMessage().length() < 3000, "the summary is " + e.getMessage().length() + " characters");
        assertTrue(e.getMessage().contains("… (24,998,000 more characters; message() has them all)"), e.getMessage());
        assertEquals(2, POOL.get().apply(() -> 1 + 1));
    }

    @Test
    void aHugeStringGoesBothWays() {
        String big = "z".repeat(HUGE);
        int length = assertTimeoutPreemptively(LIMIT, () -> POOL.get().<String, Integer>apply(s -> (s + "!").length(), big));
        assertEquals(HUGE + 1, length);
        assertEquals(HUGE, assertTimeoutPreemptively(LIMIT, () -> POOL.get().apply(() -> "x".repeat(HUGE)).length()));
    }
}
