package org.jparallel.internal.shm;

import org.jparallel.api.BarrierBrokenException;
import org.jparallel.api.Shared;
import org.jparallel.api.SharedBarrier;
import org.jparallel.testing.Await;
import org.jparallel.testing.NoSegmentsLeft;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import static org.jparallel.internal.shm.SyncTesting.LIMIT;
import static org.jparallel.internal.shm.SyncTesting.deadPid;
import static org.jparallel.internal.shm.SyncTesting.fileOf;
import static org.jparallel.internal.shm.SyncTesting.onOtherThread;
import static org.jparallel.internal.shm.SyncTesting.outcome;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Barriers within one process: their bytes, generations, breaking by timeout, abort, reset, interrupt, death. */
@ExtendWith(NoSegmentsLeft.class)
class SharedBarrierTest {

    private static final long PID = ProcessHandle.current().pid();

    /** A thread waiting at {@code barrier}; returns once it is counted there. */
    private static CompletableFuture<Integer> waiting(SharedBarrier barrier) {
        int before = barrier.numberWaiting();
        CompletableFuture<Integer> result = onOtherThread(() -> barrier.await(LIMIT));
        Await.until("the party waits", LIMIT, () -> barrier.numberWaiting() == before + 1);
        return result;
    }

    private static String brokenMessage(CompletableFuture<Integer> party) {
        return assertInstanceOf(BarrierBrokenException.class, assertThrows(Exception.class, () -> outcome(party))).getMessage();
    }

    @Test
    void aBarrierSegmentHasTheStateTheTimeoutAndAnArrivalWordPerParty() throws Exception {
        try (SharedBarrier barrier = Shared.barrier(3, Duration.ofSeconds(5))) {
            ByteBuffer file = fileOf(barrier);
            assertEquals(Kind.BARRIER.code(), file.getInt(8));
            assertEquals(3, file.getInt(24));
            assertEquals(64 + 3 * 8, file.capacity());
            assertEquals(0L, file.getLong(48), "generation 0, nobody arrived");
            assertEquals(5_000_000_000L, file.getLong(56));
            CompletableFuture<Integer> first = waiting(barrier);
            file = fileOf(barrier);
            assertEquals(1L, file.getLong(48), "one arrived");
            Await.until("the arrival is recorded", LIMIT, () -> {
                try {
                    return fileOf(barrier).getLong(64) == PID;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            CompletableFuture<Integer> second = waiting(barrier);
            assertEquals(2, barrier.await());
            assertEquals(0, (int) outcome(first));
            assertEquals(1, (int) outcome(second));
            long state = fileOf(barrier).getLong(48);
            assertEquals(1L, state >>> 40, "generation 1");
            assertEquals(1L, state >>> 17 & 1, "generation 0 tripped");
            assertEquals(0L, state & 0x1FFFF, "nobody arrived, not broken");
        }
    }

    @Test
    void threeThreadsPassAHundredGenerationsTogether() throws Exception {
        int rounds = 100;
        try (SharedBarrier barrier = Shared.barrier(3)) {
            Set<String> seen = ConcurrentHashMap.newKeySet();
            List<CompletableFuture<Void>> parties = new ArrayList<>();
            for (int p = 0; p < 3; p++) {
                parties.add(onOtherThread(() -> {
                    for (int round = 0; round < rounds; round++) {
                        seen.add(round + ":" + barrier.await(LIMIT));
                    }
                    return null;
                }));
            }
            for (CompletableFuture<Void> party : parties) {
                outcome(party);
            }
            assertEquals(3 * rounds, seen.size(), "indexes 0, 1 and 2 in every round");
            assertFalse(barrier.isBroken());
            assertEquals(0, barrier.numberWaiting());
        }
    }

    @Test
    void aTimeoutBreaksTheBarrierForEveryPartyUntilReset() throws Exception {
        try (SharedBarrier barrier = Shared.barrier(3)) {
            CompletableFuture<Integer> other = waiting(barrier);
            BarrierBrokenException timedOut = assertThrows(BarrierBrokenException.class,
                    () -> barrier.await(Duration.ofMillis(20)));
            assertTrue(timedOut.getMessage().startsWith("timed out after PT0.02S waiting for 3 parties"), timedOut.getMessage());
            assertTrue(brokenMessage(other).contains("is broken"));
            assertTrue(barrier.isBroken());
            assertEquals(0, barrier.numberWaiting());
            assertThrows(BarrierBrokenException.class, barrier::await, "later waits fail at once");
            barrier.reset();
            assertFalse(barrier.isBroken());
            CompletableFuture<Integer> a = waiting(barrier);
            CompletableFuture<Integer> b = waiting(barrier);
            assertEquals(2, barrier.await());
            assertEquals(Set.of(0, 1), Set.of(outcome(a), outcome(b)));
        }
    }

    @Test
    void theDefaultTimeoutAppliesToAwait() {
        try (SharedBarrier barrier = Shared.barrier(2, Duration.ofMillis(20))) {
            assertThrows(BarrierBrokenException.class, barrier::await);
            assertTrue(barrier.isBroken());
        }
    }

    @Test
    void abortBreaksItAndResetFailsTheWaitersOfTheGenerationItEnds() throws Exception {
        try (SharedBarrier barrier = Shared.barrier(2)) {
            CompletableFuture<Integer> aborted = waiting(barrier);
            barrier.abort();
            assertTrue(brokenMessage(aborted).contains("is broken"));
            barrier.reset();
            CompletableFuture<Integer> reset = waiting(barrier);
            barrier.reset();
            assertTrue(brokenMessage(reset).contains("reset() was called"));
            assertFalse(barrier.isBroken());
        }
    }

    @Test
    void aWaiterTellsHowItsGenerationEndedThoughOthersWentOnMeanwhile() throws Exception {
        try (SharedBarrier barrier = Shared.barrier(2)) {
            CompletableFuture<Integer> tripped = waiting(barrier);
            assertEquals(1, barrier.await()); // trips its generation...
            barrier.reset();                  // ...and the next ends by reset, perhaps before it looks
            assertEquals(0, (int) outcome(tripped));

            CompletableFuture<Integer> reset = waiting(barrier);
            barrier.reset();                  // ends its generation...
            CompletableFuture<Integer> next = waiting(barrier);
            assertEquals(1, barrier.await()); // ...and the next trips, perhaps before it looks
            assertEquals(0, (int) outcome(next));
            assertTrue(brokenMessage(reset).contains("reset() was called"));
        }
    }

    @Test
    void anInterruptedWaiterBreaksTheBarrierAndGivesUp() throws Exception {
        try (SharedBarrier barrier = Shared.barrier(2)) {
            Thread[] thread = new Thread[1];
            CompletableFuture<String> party = onOtherThread(() -> {
                thread[0] = Thread.currentThread();
                try {
                    return "passed as party " + barrier.await();
                } catch (CancellationException e) { // caught here: a future completed with it would count as cancelled
                    return "cancelled";
                }
            });
            Await.until("the party waits", LIMIT, () -> barrier.numberWaiting() == 1);
            thread[0].interrupt();
            assertEquals("cancelled", outcome(party));
            assertTrue(barrier.isBroken());
        }
    }

    @Test
    void aWaitingPartyWhoseProcessDiedBreaksTheBarrier() throws Exception {
        try (SharedBarrier barrier = Shared.barrier(3)) {
            ByteBuffer buffer = ((RealShared) barrier).buffer;
            long dead = deadPid();
            // as if process `dead` had arrived first in generation 0 and been killed
            Access.LONG.setVolatile(buffer, SyncLayout.ARRIVALS_AT, dead);
            Access.LONG.setVolatile(buffer, SyncLayout.BARRIER_STATE_AT, 1L);
            BarrierBrokenException e = assertThrows(BarrierBrokenException.class, () -> barrier.await(LIMIT));
            assertTrue(e.getMessage().startsWith("party 0 (pid " + dead + ") died while waiting"), e.getMessage());
            assertTrue(barrier.isBroken());
        }
    }

    @Test
    void badInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Shared.barrier(0));
        assertThrows(IllegalArgumentException.class, () -> Shared.barrier(65_536));
        assertThrows(IllegalArgumentException.class, () -> Shared.barrier(2, Duration.ZERO));
        assertThrows(NullPointerException.class, () -> Shared.barrier(2, null));
        try (SharedBarrier one = Shared.barrier(1)) {
            assertEquals(0, one.await(), "a single party never waits");
            assertEquals("SharedBarrier(1 parties, 0 waiting)", one.toString());
        }
    }
}
