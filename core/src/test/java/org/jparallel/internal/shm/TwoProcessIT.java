package org.jparallel.internal.shm;

import org.jparallel.api.Shared;
import org.jparallel.api.SharedInt;
import org.jparallel.api.SharedLock;
import org.jparallel.api.SharedLong;
import org.jparallel.testing.NoSegmentsLeft;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** This JVM and a child JVM ({@link ChildProcess}) working on the same segments. */
@ExtendWith(NoSegmentsLeft.class)
class TwoProcessIT {

    private static final Duration LIMIT = Duration.ofSeconds(60);

    private static long contend(String mode, long n) throws Exception {
        try (SharedLong value = Shared.longValue(0); SharedInt go = Shared.intValue(0)) {
            Process child = ChildProcess.start(mode, Long.toString(n), ChildProcess.describe(value),
                    ChildProcess.describe(go));
            try {
                assertEquals("ready", ChildProcess.firstLine(child));
                go.set(1);
                if (mode.startsWith("locked")) {
                    for (long i = 0; i < n; i++) {
                        try (var held = value.getLock().hold()) {
                            value.set(value.get() + 1);
                        }
                    }
                } else {
                    for (long i = 0; i < n; i++) {
                        value.incrementAndGet();
                    }
                }
                assertTimeoutPreemptively(LIMIT, () -> assertEquals(0, child.waitFor()));
            } finally {
                child.destroyForcibly();
            }
            assertFalse(value.getLock().isLocked());
            return value.get();
        }
    }

    @Test
    void twoProcessesIncrementingUnderTheLockLoseNothing() throws Exception {
        assertEquals(2 * 300_000L, contend("locked-increments", 300_000));
    }

    @Test
    void twoProcessesIncrementingAtomicallyLoseNothing() throws Exception {
        assertEquals(2 * 1_000_000L, contend("atomic-increments", 1_000_000));
    }

    @Test
    void aLockWhoseHolderHaltedIsTakenOverByTheNextAcquirerWhoIsTold() throws Exception {
        for (SharedLock lock : List.of(Shared.lock(), Shared.rlock())) {
            try (lock) {
                Process child = ChildProcess.start("hold-and-halt", ChildProcess.describe(lock));
                assertEquals("held", ChildProcess.firstLine(child));
                assertTrue(lock.isLocked());
                assertTimeoutPreemptively(LIMIT, () -> assertEquals(1, child.waitFor()));

                assertTrue(lock.acquire(LIMIT), "the next acquirer gets the lock");
                assertTrue(lock.ownerDied(), "and is told its owner died");
                assertEquals(child.pid(), lock.deadOwnerPid());
                lock.release();
                assertFalse(lock.isLocked());
            }
        }
    }

    @Test
    void aWaiterThatIsAlreadyWaitingWhenTheHolderDiesGetsTheLock() throws Exception {
        try (SharedLock lock = Shared.rlock()) {
            Process child = ChildProcess.start("hold-and-halt", ChildProcess.describe(lock));
            assertEquals("held", ChildProcess.firstLine(child));
            // wait while the child is halting (or already gone): no ordering between the two is needed
            assertTrue(lock.acquire(LIMIT));
            assertTrue(lock.ownerDied());
            assertEquals(child.pid(), lock.deadOwnerPid());
            lock.release();
            child.waitFor();
        }
    }
}
