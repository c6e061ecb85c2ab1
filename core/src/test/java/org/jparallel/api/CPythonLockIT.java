package org.jparallel.api;

import org.jparallel.testing.PoolPerClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CPython's {@code _TestLock}, {@code _TestSemaphore} and the lock and semaphore cases of
 * {@code TestSyncManagerTypes}, ported to {@link SharedLock} and {@link SharedSemaphore} between this JVM and
 * the two workers of one shared POOL.get(). Nothing is left in /dev/shm. See docs/cpython-checklist.md.
 */
class CPythonLockIT {

    private static final Duration LIMIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final PoolPerClass POOL = new PoolPerClass(2);

    // ---- locks ----

    @Test // test_lock
    void aLockIsTakenOnceAndAReleaseOfAFreeLockFails() {
        try (SharedLock lock = Shared.lock()) {
            lock.acquire();
            assertTrue(lock.isLocked());
            assertFalse(lock.tryAcquire());
            assertFalse(lock.acquire(Duration.ofMillis(10)));
            lock.release();
            assertFalse(lock.isLocked());
            assertThrows(IllegalMonitorStateException.class, lock::release);
        }
    }

    @Test // test_lock_locked_2processes and TestSyncManagerTypes.test_lock: a lock a worker left taken, released here
    void aLockTakenByAWorkerIsLockedHereAndAnyProcessMayReleaseIt() throws Exception {
        try (SharedLock lock = Shared.lock()) {
            boolean lockedThere = POOL.get().applyAsync(() -> {
                lock.acquire();
                return lock.isLocked(); // and the task ends holding it
            }).get(LIMIT);
            assertTrue(lockedThere);
            assertTrue(lock.isLocked());
            assertFalse(lock.isHeldByCurrentThread());
            lock.release(); // by another process than the one that took it: allowed for a plain lock
            assertFalse(lock.isLocked());
            assertThrows(IllegalMonitorStateException.class, lock::release, "already released");
        }
    }

    @Test // test_rlock
    void anRLockIsTakenAsOftenAsItIsReleased() {
        try (SharedLock lock = Shared.rlock()) {
            lock.acquire();
            assertTrue(lock.isLocked());
            lock.acquire();
            assertTrue(lock.acquire(Duration.ZERO));
            lock.release();
            assertTrue(lock.isLocked());
            lock.release();
            lock.release();
            assertFalse(lock.isLocked());
            assertThrows(IllegalMonitorStateException.class, lock::release);
        }
    }

    @Test // test_rlock_locked_2processes and TestSyncManagerTypes.test_rlock: only the owner releases an RLock
    void anRLockHeldByAWorkerIsLockedHereAndCannotBeReleasedHere() throws Exception {
        try (SharedLock rlock = Shared.rlock(); SharedEvent held = Shared.event(); SharedEvent letGo = Shared.event()) {
            AsyncResult<Boolean> owner = POOL.get().applyAsync(() -> {
                rlock.acquire();
                rlock.acquire();
                held.set();
                letGo.await(LIMIT);
                rlock.release();
                boolean stillLocked = rlock.isLocked();
                rlock.release();
                return stillLocked && !rlock.isLocked();
            });
            assertTrue(held.await(LIMIT));
            assertTrue(rlock.isLocked());
            assertFalse(rlock.tryAcquire());
            assertThrows(IllegalMonitorStateException.class, rlock::release);
            letGo.set();
            assertTrue(owner.get(LIMIT));
            assertFalse(rlock.isLocked());
        }
    }

    @Test // test_lock_context and test_rlock_context
    void aHoldTakesTheLockAndItsCloseReleasesIt() {
        try (SharedLock lock = Shared.lock(); SharedLock rlock = Shared.rlock()) {
            for (SharedLock l : List.of(lock, rlock)) {
                try (var hold = l.hold()) {
                    assertTrue(l.isLocked());
                    assertFalse(hold.ownerDied());
                }
                assertFalse(l.isLocked());
            }
        }
    }

    @Test // test_repr_lock and test_repr_rlock: the text says whether the lock is held, without taking it
    void aLocksTextSaysWhetherItIsHeld() {
        try (SharedLock lock = Shared.lock(); SharedLock rlock = Shared.rlock()) {
            String free = lock.toString();
            lock.acquire();
            String taken = lock.toString();
            lock.release();
            assertFalse(free.equals(taken), free + " / " + taken);
            assertEquals(free, lock.toString());
            assertTrue(rlock.toString().contains("reentrant"), rlock.toString());
        }
    }

    // ---- semaphores ----

    /** CPython's {@code _test_semaphore}: two permits taken and given back. */
    private static void takeAndGiveBackTwo(SharedSemaphore sem) {
        assertEquals(2, sem.availablePermits());
        sem.acquire();
        assertEquals(1, sem.availablePermits());
        assertTrue(sem.tryAcquire());
        assertEquals(0, sem.availablePermits());
        assertFalse(sem.tryAcquire());
        assertEquals(0, sem.availablePermits());
        sem.release();
        assertEquals(1, sem.availablePermits());
        sem.release();
        assertEquals(2, sem.availablePermits());
    }

    @Test // test_semaphore
    void aSemaphoreCountsPermitsAndMayGoAboveItsStart() {
        try (SharedSemaphore sem = Shared.semaphore(2)) {
            takeAndGiveBackTwo(sem);
            sem.release();
            assertEquals(3, sem.availablePermits());
            sem.release();
            assertEquals(4, sem.availablePermits());
        }
    }

    @Test // test_bounded_semaphore (the part CPython comments out on macOS too)
    void aBoundedSemaphoreRefusesToGoAboveItsStart() {
        try (SharedSemaphore sem = Shared.boundedSemaphore(2)) {
            takeAndGiveBackTwo(sem);
            assertThrows(TooManyReleasesException.class, sem::release);
            assertEquals(2, sem.availablePermits());
        }
    }

    @Test // _TestSemaphore.test_timeout
    void acquiringFromAnEmptySemaphoreFailsAtOnceOrAfterItsTimeout() {
        try (SharedSemaphore sem = Shared.semaphore(0)) {
            assertFalse(sem.tryAcquire());
            assertFalse(sem.acquire(Duration.ZERO));
            long start = System.nanoTime();
            assertFalse(sem.acquire(Duration.ofMillis(100)));
            assertTrue(System.nanoTime() - start >= Duration.ofMillis(100).toNanos());
            assertEquals(0, sem.availablePermits());
        }
    }

    @Test // TestSyncManagerTypes.test_semaphore and test_bounded_semaphore: a worker takes, the caller gives back
    void aPermitAWorkerTookIsGivenBackHere() throws Exception {
        try (SharedSemaphore sem = Shared.semaphore(1); SharedSemaphore bounded = Shared.boundedSemaphore(1)) {
            for (SharedSemaphore s : List.of(sem, bounded)) {
                assertTrue(POOL.get().applyAsync(() -> s.acquire(LIMIT)).get(LIMIT));
                assertEquals(0, s.availablePermits());
                s.release();
                assertEquals(1, s.availablePermits());
            }
        }
    }
}
