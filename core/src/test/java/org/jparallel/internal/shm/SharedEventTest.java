package org.jparallel.internal.shm;

import org.jparallel.api.Shared;
import org.jparallel.api.SharedEvent;
import org.jparallel.testing.Await;
import org.jparallel.testing.NoSegmentsLeft;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

import static org.jparallel.internal.shm.SyncTesting.LIMIT;
import static org.jparallel.internal.shm.SyncTesting.fileOf;
import static org.jparallel.internal.shm.SyncTesting.onOtherThread;
import static org.jparallel.internal.shm.SyncTesting.outcome;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Events within one process: the word that counts sets, waiting, a set cleared at once, interrupts. */
@ExtendWith(NoSegmentsLeft.class)
class SharedEventTest {

    /** Starts a thread that waits for {@code event} and returns once it is parked inside the wait. */
    private static CompletableFuture<Boolean> parkedWaiter(SharedEvent event) {
        Thread[] waiter = new Thread[1];
        CompletableFuture<Boolean> result = onOtherThread(() -> {
            waiter[0] = Thread.currentThread();
            return event.await(LIMIT);
        });
        Await.until("the waiter parks", LIMIT, () -> waiter[0] != null && waiter[0].getState() == Thread.State.TIMED_WAITING);
        return result;
    }

    @Test
    void theEventWordCountsSetsBesideTheFlag() throws Exception {
        try (SharedEvent event = Shared.event()) {
            assertEquals(Kind.EVENT.code(), fileOf(event).getInt(8));
            assertEquals(56, fileOf(event).capacity());
            assertEquals(0L, fileOf(event).getLong(48));
            event.set();
            event.set(); // already set: not counted again
            assertEquals(1L << 1 | 1, fileOf(event).getLong(48));
            event.clear();
            event.clear();
            assertEquals(1L << 1, fileOf(event).getLong(48));
            event.set();
            assertEquals(2L << 1 | 1, fileOf(event).getLong(48));
        }
    }

    @Test
    void waitsReturnAtOnceWhileSetAndTimeOutWhileClear() {
        try (SharedEvent event = Shared.event()) {
            assertFalse(event.isSet());
            assertFalse(event.await(Duration.ofMillis(20)));
            assertFalse(event.await(Duration.ZERO));
            event.set();
            assertTrue(event.isSet());
            event.await();
            assertTrue(event.await(Duration.ZERO));
            assertEquals("SharedEvent(set)", event.toString());
            event.clear();
            assertFalse(event.isSet());
            assertEquals("SharedEvent(clear)", event.toString());
        }
    }

    @Test
    void setReleasesEveryWaiter() throws Exception {
        try (SharedEvent event = Shared.event()) {
            CompletableFuture<Boolean> a = parkedWaiter(event);
            CompletableFuture<Boolean> b = parkedWaiter(event);
            event.set();
            assertTrue(outcome(a));
            assertTrue(outcome(b));
        }
    }

    @Test
    void aSetClearedAtOnceStillWakesTheWaitersOfThatMoment() throws Exception {
        try (SharedEvent event = Shared.event()) {
            CompletableFuture<Boolean> waiter = parkedWaiter(event);
            event.set();
            event.clear();
            assertTrue(outcome(waiter), "it was waiting when the event was set");
            assertFalse(event.await(Duration.ofMillis(10)), "a later wait waits for the next set");
        }
    }

    @Test
    void anInterruptedWaiterGivesUpWithCancellation() throws Exception {
        try (SharedEvent event = Shared.event()) {
            Thread[] waiter = new Thread[1];
            CompletableFuture<String> waiting = onOtherThread(() -> {
                waiter[0] = Thread.currentThread();
                try {
                    event.await();
                    return "returned";
                } catch (CancellationException e) { // caught here: a future completed with it would count as cancelled
                    return e.getMessage();
                }
            });
            Await.until("the waiter parks", LIMIT, () -> waiter[0] != null && waiter[0].getState() == Thread.State.TIMED_WAITING);
            waiter[0].interrupt();
            String message = outcome(waiting);
            assertTrue(message.contains("interrupted while waiting for the event to be set"), message);
        }
    }
}
