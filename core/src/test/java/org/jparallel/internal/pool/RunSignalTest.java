package org.jparallel.internal.pool;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunSignalTest {

    @Test
    void aSignalGivenAfterTheWaiterLookedIsNotMissed() throws Exception {
        RunSignal signal = new RunSignal();
        long seen = signal.count();
        signal.signal(); // before the waiter waits: it must not sleep for ever
        assertTrue(signal.awaitAfter(seen, 0));
        assertFalse(signal.finished());
    }

    @Test
    void aWaitWithoutASignalEndsAtItsDeadline() throws Exception {
        RunSignal signal = new RunSignal();
        assertFalse(signal.awaitAfter(signal.count(), System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20)));
    }

    @Test
    void finishingWakesAWaitingThreadForGood() throws Exception {
        RunSignal signal = new RunSignal();
        long seen = signal.count();
        CompletableFuture<Boolean> woken = CompletableFuture.supplyAsync(() -> {
            try {
                return signal.awaitAfter(seen, 0);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        signal.finish();
        assertTrue(woken.get(30, TimeUnit.SECONDS));
        assertTrue(signal.finished());
        assertEquals(seen + 1, signal.count());
    }
}
