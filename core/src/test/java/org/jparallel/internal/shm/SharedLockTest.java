package org.jparallel.internal.shm;

import org.jparallel.api.Shared;
import org.jparallel.api.SharedLock;
import org.jparallel.api.SharedLong;
import org.jparallel.testing.FreshThreads;
import org.jparallel.testing.NoSegmentsLeft;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lock within one process: threads, reentrancy, timeouts, and an owner whose process is gone. */
@ExtendWith(NoSegmentsLeft.class)
class SharedLockTest {

    private static final long PID = ProcessHandle.current().pid();
    private static final Duration LIMIT = Duration.ofSeconds(30);

    /** Runs {@code body} on another thread and returns what it returned (or throws what it threw). */
    private static <T> T onOtherThread(java.util.concurrent.Callable<T> body) throws Exception {
        return SyncTesting.outcome(SyncTesting.onOtherThread(body));
    }

    @Test
    void twoThreadsIncrementingUnderTheLockLoseNothing() throws Exception {
        try (SharedLong counter = Shared.longValue(0)) {
            int perThread = 200_000;
            CountDownLatch go = new CountDownLatch(1);
            Runnable work = () -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                for (int i = 0; i < perThread; i++) {
                    try (var held = counter.getLock().hold()) {
                        counter.set(counter.get() + 1);
                    }
                }
            };
            Thread a = new Thread(work);
            Thread b = new Thread(work);
            a.start();
            b.start();
            go.countDown();
            a.join();
            b.join();
            assertEquals(2L * perThread, counter.get());
            assertFalse(counter.getLock().isLocked());
        }
    }

    @Test
    void anRLockIsReentrantAndReleasedByItsOwnerOnly() throws Exception {
        try (SharedLock lock = Shared.rlock()) {
            assertTrue(lock.isReentrant());
            lock.acquire();
            lock.acquire();
            assertTrue(lock.isHeldByCurrentThread());
            assertFalse(onOtherThread(lock::tryAcquire));
            IllegalMonitorStateException notOwner = assertThrows(IllegalMonitorStateException.class,
                    () -> onOtherThread(() -> {
                        lock.release();
                        return null;
                    }));
            assertTrue(notOwner.getMessage().contains("not by this thread"), notOwner.getMessage());
            lock.release();
            assertTrue(lock.isLocked(), "one hold left");
            lock.release();
            assertFalse(lock.isLocked());
            assertThrows(IllegalMonitorStateException.class, lock::release);
            assertTrue(onOtherThread(() -> {
                lock.acquire();
                lock.release();
                return true;
            }));
        }
    }

    @Test
    void aPlainLockIsNotReentrantAndAnyThreadMayReleaseIt() throws Exception {
        try (SharedLock lock = Shared.lock()) {
            assertFalse(lock.isReentrant());
            assertTrue(lock.tryAcquire());
            assertFalse(lock.tryAcquire(), "taking it again from the holding thread does not succeed");
            assertFalse(lock.acquire(Duration.ofMillis(20)), "…and a timed attempt times out, as in Python");
            onOtherThread(() -> {
                lock.release();
                return null;
            });
            assertFalse(lock.isLocked());
            assertThrows(IllegalMonitorStateException.class, lock::release);
        }
    }

    @Test
    void aTimedAcquireWaitsAboutItsTimeoutAndThenSucceedsOnceReleased() throws Exception {
        try (SharedLock lock = Shared.rlock()) {
            lock.acquire();
            long start = System.nanoTime();
            assertFalse(onOtherThread(() -> lock.acquire(Duration.ofMillis(50))));
            long waitedMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(waitedMs >= 50, "waited " + waitedMs + " ms");

            CountDownLatch waiting = new CountDownLatch(1);
            CompletableFuture<Boolean> later = CompletableFuture.supplyAsync(() -> {
                waiting.countDown();
                boolean got = lock.acquire(LIMIT);
                lock.release();
                return got;
            }, FreshThreads.EACH);
            waiting.await();
            lock.release();
            assertTrue(later.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void anInterruptedWaiterGivesUpWithCancellationAndKeepsItsInterruptFlag() throws Exception {
        try (SharedLock lock = Shared.lock()) {
            lock.acquire();
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicReference<Boolean> flag = new AtomicReference<>();
            Thread waiter = new Thread(() -> {
                try {
                    lock.acquire();
                } catch (Throwable e) {
                    thrown.set(e);
                    flag.set(Thread.currentThread().isInterrupted());
                }
            });
            waiter.start();
            waiter.interrupt();
            waiter.join(30_000);
            assertFalse(waiter.isAlive());
            assertInstanceOf(CancellationException.class, thrown.get());
            assertTrue(flag.get());
            lock.release();
        }
    }

    @Test
    void aLockHeldByAProcessThatIsGoneIsTakenOverAndTheNewHolderIsTold() throws Exception {
        long dead = SyncTesting.deadPid();
        try (SharedLock lock = Shared.rlock()) {
            ByteBuffer buffer = ((RealShared) lock).buffer;
            // as if process `dead` had acquired it (thread 1) and been killed
            Access.LONG.setVolatile(buffer, Layout.LOCK_AT, dead << 32 | 1);
            Access.INT.setVolatile(buffer, Layout.LOCK_AT + Layout.COUNT, 3);
            assertTrue(lock.isLocked());
            assertFalse(lock.ownerDied(), "nobody has taken it over yet");

            assertTrue(lock.acquire(LIMIT));
            assertTrue(lock.isHeldByCurrentThread());
            assertTrue(lock.ownerDied());
            assertEquals(dead, lock.deadOwnerPid());
            lock.release(); // one hold, whatever the dead owner's count was
            assertFalse(lock.isLocked());
            assertFalse(lock.ownerDied());
            assertEquals(0, lock.deadOwnerPid());

            Access.LONG.setVolatile(buffer, Layout.LOCK_AT, dead << 32 | 1);
            assertTrue(lock.tryAcquire(), "tryAcquire also takes over from a dead owner");
            try (var held = lock.hold()) {
                assertTrue(held.ownerDied(), "the hold inside sees the same holding");
            }
            assertTrue(lock.ownerDied());
            lock.release();
        }
    }

    @Test
    void aZombieCountsAsDeadThoughProcessHandleCallsItAlive() throws Exception {
        assertFalse(Pids.isAlive(Integer.MAX_VALUE));
        assertTrue(Pids.isAlive(PID));
        assertTrue(Pids.isAlive(ProcessHandle.current().parent().orElseThrow().pid()));
        // the inner sleep ends after the outer shell has become `sleep 60`, which never reaps it
        Process parent = new ProcessBuilder("sh", "-c", "sleep 0.2 & echo $!; exec sleep 60").start();
        try {
            long zombie = Long.parseLong(new java.io.BufferedReader(new java.io.InputStreamReader(
                    parent.getInputStream())).readLine().trim());
            java.nio.file.Path stat = java.nio.file.Path.of("/proc/" + zombie + "/stat");
            long deadline = System.nanoTime() + LIMIT.toNanos();
            while (!java.nio.file.Files.readString(stat).contains(") Z ")) { // poll for the state, not a fixed wait
                assertTrue(System.nanoTime() < deadline, "the inner shell did not become a zombie");
                Thread.onSpinWait();
            }
            assertTrue(ProcessHandle.of(zombie).map(ProcessHandle::isAlive).orElse(false));
            assertFalse(Pids.isAlive(zombie));
        } finally {
            parent.destroyForcibly().waitFor();
        }
    }

    @Test
    void aLockOfThisProcessIsNeverTakenFromALiveThread() throws Exception {
        try (SharedLock lock = Shared.lock()) {
            Thread holder = new Thread(lock::acquire);
            holder.start();
            holder.join();
            assertFalse(holder.isAlive());
            assertFalse(lock.acquire(Duration.ofMillis(20)),
                    "same process: the holder's process is alive, so the lock stays held (as ReentrantLock)");
            lock.release(); // a plain lock: anyone may release it
            assertTrue(lock.tryAcquire());
            lock.release();
        }
    }
}
