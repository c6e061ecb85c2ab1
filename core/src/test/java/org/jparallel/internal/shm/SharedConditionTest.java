package org.jparallel.internal.shm;

import org.jparallel.api.Shared;
import org.jparallel.api.SharedCondition;
import org.jparallel.api.SharedInt;
import org.jparallel.api.SharedLock;
import org.jparallel.testing.Await;
import org.jparallel.testing.NoSegmentsLeft;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.jparallel.internal.shm.SyncTesting.LIMIT;
import static org.jparallel.internal.shm.SyncTesting.deadPid;
import static org.jparallel.internal.shm.SyncTesting.fileOf;
import static org.jparallel.internal.shm.SyncTesting.onOtherThread;
import static org.jparallel.internal.shm.SyncTesting.outcome;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Conditions within one process: their bytes, waiting and signalling, order, timeouts, dead waiters. */
@ExtendWith(NoSegmentsLeft.class)
class SharedConditionTest {

    private static final long PID = ProcessHandle.current().pid();

    /** Starts a thread that waits on {@code condition} (holding its lock) and returns once it waits. */
    private static CompletableFuture<Boolean> waiter(SharedCondition condition, List<String> log, String name) {
        int before = ((RealSharedCondition) condition).waiters();
        CompletableFuture<Boolean> result = onOtherThread(() -> {
            try (var held = condition.hold()) {
                boolean signalled = condition.await(LIMIT);
                log.add(name);
                return signalled;
            }
        });
        Await.until(name + " waits", LIMIT, () -> ((RealSharedCondition) condition).waiters() == before + 1);
        return result;
    }

    @Test
    void aConditionWithItsOwnLockNamesNoOtherSegment() throws Exception {
        try (SharedCondition condition = Shared.condition()) {
            ByteBuffer file = fileOf(condition);
            assertEquals(Kind.CONDITION.code(), file.getInt(8));
            assertEquals(Layout.FLAG_LOCK | Layout.FLAG_REENTRANT, file.getInt(12), "its own reentrant lock, as Python's");
            assertEquals(0, file.getInt(24), "length 0: no other lock's path");
            assertEquals(SyncLayout.LOCK_PATH_AT, file.capacity());
            assertTrue(condition.getLock().isReentrant());
            try (var held = condition.hold()) {
                assertEquals(PID, fileOf(condition).getLong(Layout.LOCK_AT) >>> 32, "the lock word in its own segment");
            }
        }
    }

    @Test
    void aConditionWithAGivenLockNamesItsSegment() throws Exception {
        try (SharedInt value = Shared.intValue(0); SharedCondition condition = Shared.condition(value.getLock())) {
            ByteBuffer file = fileOf(condition);
            String lockPath = ((RealShared) value).descriptor().path();
            byte[] path = lockPath.getBytes(StandardCharsets.UTF_8);
            assertEquals(path.length, file.getInt(24));
            assertEquals(0, file.getInt(12), "no lock word of its own");
            assertEquals(Kind.RLOCK.code(), file.getInt(SyncLayout.LOCK_KIND_AT));
            assertEquals(Layout.LOCK_AT, file.getInt(SyncLayout.LOCK_OFFSET_AT));
            assertEquals(lockPath, new String(file.array(), SyncLayout.LOCK_PATH_AT, path.length, StandardCharsets.UTF_8));
            assertSame(value.getLock(), condition.getLock(), "the same object within one process");
        }
    }

    @Test
    void waitingAndSignallingNeedTheLock() {
        try (SharedCondition condition = Shared.condition()) {
            IllegalMonitorStateException e = assertThrows(IllegalMonitorStateException.class, condition::await);
            assertTrue(e.getMessage().contains("await() needs the condition's lock held by this thread"), e.getMessage());
            assertThrows(IllegalMonitorStateException.class, condition::signal);
            assertThrows(IllegalMonitorStateException.class, condition::signalAll);
            assertEquals(0, ((RealSharedCondition) condition).waiters(), "a refused wait leaves no slot behind");
        }
    }

    @Test
    void aTimedOutWaitTakesTheLockBackAsOftenAsItWasHeld() {
        for (SharedLock lock : List.of(Shared.rlock(), Shared.lock())) {
            try (lock; SharedCondition condition = Shared.condition(lock)) {
                condition.acquire();
                if (lock.isReentrant()) {
                    condition.acquire();
                }
                assertFalse(condition.await(Duration.ofMillis(20)));
                assertTrue(lock.isHeldByCurrentThread());
                assertEquals(0, ((RealSharedCondition) condition).waiters(), "the slot is free again");
                condition.release();
                if (lock.isReentrant()) {
                    assertTrue(lock.isLocked(), "one hold left");
                    condition.release();
                }
                assertFalse(lock.isLocked());
            }
        }
    }

    @Test
    void signalWakesTheLongestWaiterFirstAndSignalAllTheRest() throws Exception {
        try (SharedCondition condition = Shared.condition()) {
            List<String> woken = new CopyOnWriteArrayList<>();
            CompletableFuture<Boolean> first = waiter(condition, woken, "first");
            CompletableFuture<Boolean> second = waiter(condition, woken, "second");
            CompletableFuture<Boolean> third = waiter(condition, woken, "third");
            try (var held = condition.hold()) {
                condition.signal();
            }
            assertTrue(outcome(first));
            assertEquals(List.of("first"), woken);
            assertEquals(2, ((RealSharedCondition) condition).waiters());
            try (var held = condition.hold()) {
                condition.signalAll();
            }
            assertTrue(outcome(second));
            assertTrue(outcome(third));
            try (var held = condition.hold()) {
                condition.signal(); // nobody waits: nothing happens, and nothing is kept for later
                assertFalse(condition.await(Duration.ofMillis(10)));
            }
        }
    }

    @Test
    void twoThreadsTakingTurnsLoseNoWakeUp() throws Exception {
        try (SharedCondition condition = Shared.condition(); SharedInt turn = Shared.rawValue('i', 0)) {
            int rounds = 5_000;
            CompletableFuture<Void> other = onOtherThread(() -> {
                for (int i = 0; i < rounds; i++) {
                    try (var held = condition.hold()) {
                        condition.awaitUntil(() -> turn.get() % 2 == 1);
                        turn.incrementAndGet();
                        condition.signal();
                    }
                }
                return null;
            });
            for (int i = 0; i < rounds; i++) {
                try (var held = condition.hold()) {
                    assertTrue(condition.awaitUntil(() -> turn.get() % 2 == 0, LIMIT), "round " + i);
                    turn.incrementAndGet();
                    condition.signal();
                }
            }
            outcome(other);
            assertEquals(2 * rounds, turn.get());
        }
    }

    @Test
    void awaitUntilReturnsThePredicatesLastValue() {
        try (SharedCondition condition = Shared.condition(); var held = condition.hold()) {
            assertTrue(condition.awaitUntil(() -> true, Duration.ZERO));
            assertFalse(condition.awaitUntil(() -> false, Duration.ofMillis(20)));
            assertTrue(condition.getLock().isHeldByCurrentThread());
        }
    }

    /** Puts a waiter of a process that is gone into slot 0, in {@code state}, with the oldest ticket. */
    private static long deadWaiter(SharedCondition condition, int state) throws Exception {
        ByteBuffer buffer = ((RealShared) condition).buffer;
        long dead = deadPid() << 32 | state;
        Access.LONG.setVolatile(buffer, SyncLayout.NEXT_TICKET_AT, 1L);
        Access.LONG.setVolatile(buffer, SyncLayout.SLOTS_AT, dead);
        Access.INT.setVolatile(buffer, SyncLayout.SLOTS_USED_AT, 1);
        return dead;
    }

    private static long slot(SharedCondition condition, int index) {
        return (long) Access.LONG.getVolatile(((RealShared) condition).buffer, SyncLayout.SLOTS_AT + 8 * index);
    }

    private static CompletableFuture<Boolean> awaitOnOtherThread(SharedCondition condition) {
        return onOtherThread(() -> {
            try (var held = condition.hold()) {
                return condition.await(LIMIT);
            }
        });
    }

    @Test
    void theSlotOfAWaiterWhoseProcessDiedIsFreedByTheLiveWaiters() throws Exception {
        try (SharedCondition condition = Shared.condition()) {
            deadWaiter(condition, 1);
            CompletableFuture<Boolean> live = awaitOnOtherThread(condition);
            Await.until("the live waiter frees the dead one's slot", LIMIT, () -> slot(condition, 0) == 0 && slot(condition, 1) != 0);
            try (var held = condition.hold()) {
                condition.signal();
            }
            assertTrue(outcome(live), "the signal went to the live waiter");
        }
    }

    @Test
    void aSignalGivenToAWaiterWhoseProcessDiedIsPassedOn() throws Exception {
        try (SharedCondition condition = Shared.condition()) {
            deadWaiter(condition, 2); // signalled, then its process died before it could take the signal
            assertTrue(outcome(awaitOnOtherThread(condition)), "a live waiter found it and passed it on to itself");
            assertEquals(0L, slot(condition, 0), "the dead slot is free");
            assertEquals(0, ((RealSharedCondition) condition).waiters());
        }
    }

    @Test
    void anInterruptedWaiterTakesTheLockBackThenGivesUp() throws Exception {
        try (SharedCondition condition = Shared.condition()) {
            Thread[] thread = new Thread[1];
            CompletableFuture<String> waiting = onOtherThread(() -> {
                thread[0] = Thread.currentThread();
                try (var held = condition.hold()) {
                    condition.await();
                    return "returned";
                } catch (CancellationException e) {
                    return "cancelled, interrupted " + Thread.currentThread().isInterrupted();
                }
            });
            Await.until("the waiter waits", LIMIT, () -> ((RealSharedCondition) condition).waiters() == 1);
            condition.acquire(); // the waiter must wait for the lock before it can give up
            thread[0].interrupt();
            Await.until("the waiter left its slot", LIMIT, () -> ((RealSharedCondition) condition).waiters() == 0);
            assertFalse(waiting.isDone());
            condition.release();
            assertEquals("cancelled, interrupted true", outcome(waiting));
            assertFalse(condition.getLock().isLocked(), "its hold was closed after it took the lock back");
        }
    }

    @Test
    void aConditionNeedsAnOpenLockOfSharedMemory() {
        SharedLock closed = Shared.lock();
        closed.close();
        assertThrows(IllegalStateException.class, () -> Shared.condition(closed));
        assertThrows(NullPointerException.class, () -> Shared.condition(null));
        SharedCondition condition = Shared.condition();
        condition.close();
        assertThrows(IllegalStateException.class, condition::acquire);
        assertEquals("SharedCondition(closed)", condition.toString());
    }
}
