package org.jparallel.internal.shm;

import org.jparallel.api.Shared;
import org.jparallel.api.SharedSemaphore;
import org.jparallel.api.TooManyReleasesException;
import org.jparallel.testing.Await;
import org.jparallel.testing.NoSegmentsLeft;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

import static org.jparallel.internal.shm.SyncTesting.LIMIT;
import static org.jparallel.internal.shm.SyncTesting.fileOf;
import static org.jparallel.internal.shm.SyncTesting.onOtherThread;
import static org.jparallel.internal.shm.SyncTesting.outcome;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Semaphores within one process: their bytes, permits, the bound, waiting, interrupts. */
@ExtendWith(NoSegmentsLeft.class)
class SharedSemaphoreTest {

    @Test
    void aSemaphoreSegmentHoldsThePermitsAndTheInitialCount() throws Exception {
        try (SharedSemaphore plain = Shared.semaphore(3); SharedSemaphore bounded = Shared.boundedSemaphore(2)) {
            ByteBuffer file = fileOf(plain);
            assertEquals(56, file.capacity());
            assertEquals(Kind.SEMAPHORE.code(), file.getInt(8));
            assertEquals(0, file.getInt(12), "no lock word in use");
            assertEquals(3, file.getInt(48), "permits");
            assertEquals(3, file.getInt(52), "initial permits");
            assertEquals(Kind.BOUNDED_SEMAPHORE.code(), fileOf(bounded).getInt(8));
            assertTrue(plain.tryAcquire());
            assertEquals(2, fileOf(plain).getInt(48));
            assertEquals(3, fileOf(plain).getInt(52));
        }
    }

    @Test
    void permitsAreTakenUntilNoneAreLeftAndGivenBack() {
        try (SharedSemaphore semaphore = Shared.semaphore(2)) {
            assertFalse(semaphore.isBounded());
            semaphore.acquire();
            assertTrue(semaphore.acquire(LIMIT));
            assertEquals(0, semaphore.availablePermits());
            assertFalse(semaphore.tryAcquire());
            assertFalse(semaphore.acquire(Duration.ofMillis(20)), "none to take: the time runs out");
            semaphore.release();
            semaphore.release();
            semaphore.release(); // not bounded: above the initial count is fine, as in Python
            assertEquals(3, semaphore.availablePermits());
            assertEquals("SharedSemaphore(3 of 2 permits)", semaphore.toString());
        }
    }

    @Test
    void aBoundedSemaphoreRefusesAReleaseAboveItsInitialCount() {
        try (SharedSemaphore semaphore = Shared.boundedSemaphore(1)) {
            assertTrue(semaphore.isBounded());
            TooManyReleasesException e = assertThrows(TooManyReleasesException.class, semaphore::release);
            assertTrue(e.getMessage().contains("released more often than acquired"), e.getMessage());
            assertEquals(1, semaphore.availablePermits(), "the refused release changed nothing");
            semaphore.acquire();
            semaphore.release();
            assertThrows(TooManyReleasesException.class, semaphore::release);
        }
    }

    @Test
    void aHoldGivesItsPermitBackOnce() {
        try (SharedSemaphore semaphore = Shared.boundedSemaphore(1)) {
            SharedSemaphore.Permit permit = semaphore.hold();
            assertEquals(0, semaphore.availablePermits());
            permit.close();
            permit.close();
            assertEquals(1, semaphore.availablePermits());
        }
    }

    @Test
    void aWaiterGetsThePermitAnotherThreadReleases() throws Exception {
        try (SharedSemaphore semaphore = Shared.semaphore(0)) {
            CompletableFuture<Boolean> waiter = onOtherThread(() -> semaphore.acquire(LIMIT));
            semaphore.release();
            assertTrue(outcome(waiter));
            assertEquals(0, semaphore.availablePermits());
        }
    }

    @Test
    void anInterruptedWaiterGivesUpWithCancellation() throws Exception {
        try (SharedSemaphore semaphore = Shared.semaphore(0)) {
            Thread[] waiter = new Thread[1];
            CompletableFuture<Boolean> waiting = onOtherThread(() -> {
                waiter[0] = Thread.currentThread();
                try {
                    semaphore.acquire();
                    return false;
                } catch (CancellationException e) {
                    return Thread.currentThread().isInterrupted();
                }
            });
            Await.until("the waiter parks", LIMIT, () -> waiter[0] != null && waiter[0].getState() == Thread.State.TIMED_WAITING);
            waiter[0].interrupt();
            assertTrue(outcome(waiting), "cancelled, interrupt flag kept");
            assertEquals(0, semaphore.availablePermits());
        }
    }

    @Test
    void badInputAndClosedSemaphoresAreRefused() {
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> Shared.semaphore(-1));
        assertTrue(negative.getMessage().contains("negative"), negative.getMessage());
        SharedSemaphore semaphore = Shared.semaphore(1);
        semaphore.close();
        assertThrows(IllegalStateException.class, semaphore::acquire);
        assertThrows(IllegalStateException.class, semaphore::release);
        assertEquals("SharedSemaphore(closed)", semaphore.toString());
    }
}
