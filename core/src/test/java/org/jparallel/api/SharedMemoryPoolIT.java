package org.jparallel.api;

import org.jparallel.internal.shm.SharedMemory;
import org.jparallel.testing.Await;
import org.jparallel.testing.PoolPerClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shared memory between this JVM and real worker JVMs: counters, arrays, locks whose holder is killed,
 * and clean-up — no segment of this test's processes is left in /dev/shm.
 */
class SharedMemoryPoolIT {

    private static final long PID = ProcessHandle.current().pid();
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final List<Integer> TEN_TASKS = IntStream.range(0, 10).boxed().collect(Collectors.toList());

    @RegisterExtension
    static final PoolPerClass POOL = new PoolPerClass(2);

    static long pid() {
        return ProcessHandle.current().pid();
    }

    /**
     * Runs {@code task} as ten tasks of one element each, once both workers are up (one may be a
     * replacement for a worker an earlier test killed), and checks that both took part.
     */
    private static void tenTasks(SerialFunction<Integer, Long> task) {
        try {
            POOL.get().awaitReady();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        List<Long> ranOn = POOL.get().map(task, TEN_TASKS, 1);
        assertEquals(2, Set.copyOf(ranOn).size(), "two processes contended: " + ranOn);
        assertFalse(ranOn.contains(PID));
    }

    @Test
    void tenTasksIncrementingASharedCounter() {
        try (SharedInt raw = Shared.rawValue('i', 0);
             SharedInt eachStepLocked = Shared.intValue(0);
             SharedInt locked = Shared.intValue(0);
             SharedInt atomic = Shared.intValue(0)) {
            tenTasks(t -> {
                for (int i = 0; i < 1000; i++) {
                    raw.set(raw.get() + 1);
                }
                return pid();
            });
            tenTasks(t -> {
                for (int i = 0; i < 1000; i++) {
                    eachStepLocked.set(eachStepLocked.get() + 1); // two locked steps, not one
                }
                return pid();
            });
            tenTasks(t -> {
                for (int i = 0; i < 1000; i++) {
                    try (var held = locked.getLock().hold()) {
                        locked.set(locked.get() + 1);
                    }
                }
                return pid();
            });
            tenTasks(t -> {
                for (int i = 0; i < 1000; i++) {
                    atomic.incrementAndGet();
                }
                return pid();
            });
            // without the lock, increments may be lost (how many varies from run to run)
            assertTrue(raw.get() > 0 && raw.get() <= 10_000, "raw: " + raw.get());
            assertTrue(eachStepLocked.get() > 0 && eachStepLocked.get() <= 10_000, "get/set: " + eachStepLocked.get());
            assertEquals(10_000, locked.get());
            assertEquals(10_000, atomic.get());
            assertFalse(locked.getLock().isLocked());
        }
    }

    @Test
    void aSharedArrayFilledByWorkersIsSummedInTheCaller() {
        try (SharedLongArray squares = Shared.longArray(10_000);
             SharedDoubleArray halves = Shared.rawArray('d', 10_000)) {
            tenTasks(t -> {
                for (int i = t * 1000; i < (t + 1) * 1000; i++) {
                    squares.set(i, (long) i * i);
                }
                double[] mine = new double[1000];
                for (int i = 0; i < 1000; i++) {
                    mine[i] = (t * 1000 + i) / 2.0;
                }
                halves.copyFrom(mine, 0, t * 1000, 1000);
                return pid();
            });
            long expected = LongStream.range(0, 10_000).map(i -> i * i).sum();
            assertEquals(expected, LongStream.of(squares.toArray()).sum());
            assertArrayEquals(IntStream.range(0, 10_000).mapToDouble(i -> i / 2.0).toArray(), halves.toArray());
        }
    }

    @Test
    void writesInTheCallerAreSeenByWorkersWithoutBeingSentAgain() {
        try (SharedByteArray data = Shared.byteArray(1 << 20); SharedInt round = Shared.intValue(0)) {
            SerialFunction<Integer, Integer> readBack = i -> data.get(i) + 1000 * round.get();
            for (int r = 1; r <= 3; r++) {
                data.set(7, (byte) r);
                round.set(r);
                assertEquals(r + 1000 * r, POOL.get().apply(readBack, 7));
            }
            assertEquals(List.of(1, 1), POOL.get().map(i -> (int) data.addAndGet(i, (byte) 1), List.of(100, 101), 1));
            assertEquals(1, data.get(100));
            assertEquals(0, data.get(99), "the neighbours of an atomically updated byte are untouched");
        }
    }

    @Test
    void aWorkerKilledWhileHoldingALockDoesNotHoldItForEver() {
        try (SharedLock lock = Shared.lock(); SharedLong victim = Shared.longValue(0)) {
            String outcome = POOL.get().apply(() -> {
                if (victim.compareAndSet(0, pid())) {
                    lock.acquire();
                    Runtime.getRuntime().halt(1); // dies holding the lock
                }
                return "the retried task left the lock alone";
            });
            assertEquals("the retried task left the lock alone", outcome);
            assertNotEquals(0, victim.get());
            assertTrue(lock.isLocked(), "still held by the dead worker");

            assertTrue(lock.acquire(LIMIT), "the next acquirer gets it");
            assertTrue(lock.ownerDied(), "and is told that its owner died");
            assertEquals(victim.get(), lock.deadOwnerPid());
            lock.release();
            assertFalse(lock.isLocked());
        }
    }

    @Test
    void aWorkerWaitingForALockWhoseHolderIsKilledGetsItAndIsTold() {
        try (SharedLock lock = Shared.rlock(); SharedLong victim = Shared.longValue(0)) {
            long toldPid = POOL.get().apply(() -> {
                if (victim.compareAndSet(0, pid())) {
                    lock.acquire();
                    Runtime.getRuntime().halt(1);
                }
                try (var held = lock.hold()) { // the retried task, in another worker
                    return held.ownerDied() ? lock.deadOwnerPid() : 0L;
                }
            });
            assertEquals(victim.get(), toldPid);
            assertFalse(lock.isLocked());
        }
    }

    @Test
    void aClosedObjectCannotBeSentAndThePoolCarriesOn() {
        SharedInt counter = Shared.intValue(1);
        counter.close();
        SharedObjectClosedException asArgument = assertThrows(SharedObjectClosedException.class,
                () -> POOL.get().apply(c -> c.get(), counter));
        assertTrue(asArgument.getMessage().contains("is a SharedInt — it was closed"), asArgument.getMessage());
        assertThrows(SharedObjectClosedException.class, () -> POOL.get().apply(() -> counter.get()));
        assertEquals(List.of(1, 4), POOL.get().map(x -> x * x, List.of(1, 2)));
    }

    @Test
    void aThousandCreateSendCloseCyclesLeaveNothing() {
        for (int i = 0; i < 1000; i++) {
            SharedInt value = Shared.intValue(i);
            int incremented = POOL.get().apply(v -> v.incrementAndGet(), value);
            assertEquals(i + 1, incremented);
            value.close();
            assertEquals(List.of(), SharedMemory.segmentsCreatedBy(PID));
        }
    }

    @Test
    void anObjectAWorkerCreatesComesBackByReferenceAndGoesWhenTheWorkerExits() throws InterruptedException {
        WorkerPool own = WorkerPool.start(1).awaitReady();
        long workerPid;
        try {
            SharedLong made = own.apply(() -> Shared.longValue(41));
            workerPid = own.status().get(0).pid();
            assertEquals(1, SharedMemory.segmentsCreatedBy(workerPid).size());
            made.incrementAndGet();
            long seen = own.apply(m -> m.get(), made);
            assertEquals(42L, seen, "the worker sees the caller's write: same memory");
            made.close(); // the caller did not create it: this only forgets the caller's mapping
            assertEquals(1, SharedMemory.segmentsCreatedBy(workerPid).size(), "only the creator deletes");
        } finally {
            own.close();
            own.join();
        }
        assertEquals(List.of(), SharedMemory.segmentsCreatedBy(workerPid), "released when the worker exited");
    }

    @Test
    void segmentsOfAWorkerThatCrashedAreDeletedOnceItIsReaped() {
        try (SharedLong victim = Shared.longValue(0)) {
            POOL.get().apply(() -> {
                if (victim.compareAndSet(0, pid())) {
                    Shared.intArray(10);
                    Runtime.getRuntime().halt(1); // no clean-up runs
                }
                return 0;
            });
            long crashed = victim.get();
            assertNotEquals(0, crashed, "no worker created a segment and died");
            Await.until("no segment of the crashed worker " + crashed, LIMIT,
                    () -> SharedMemory.segmentsCreatedBy(crashed).isEmpty());
        }
    }
}
