package org.jparallel.api;

import org.jparallel.internal.shm.ChildProcess;
import org.jparallel.testing.PoolPerClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Semaphores, events, conditions and barriers between this JVM and two real worker JVMs, workers killed
 * while holding or waiting, and clean-up: no segment of this test's processes is left in /dev/shm.
 */
class SynchronizationPoolIT {

    private static final long PID = ProcessHandle.current().pid();
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final List<Integer> TWO_TASKS = List.of(0, 1);

    @RegisterExtension
    static final PoolPerClass POOL = new PoolPerClass(2);

    static long pid() {
        return ProcessHandle.current().pid();
    }

    /** Two tasks at once, one per worker (both workers up; one may replace a worker an earlier test killed). */
    private static <R> AsyncResult<List<R>> onBothWorkers(SerialFunction<Integer, R> task) {
        try {
            POOL.get().awaitReady();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return POOL.get().mapAsync(task, TWO_TASKS);
    }

    @Test
    void twoWorkersAndTheCallerMeetAtABarrier() throws Exception {
        try (SharedBarrier barrier = Shared.barrier(3, LIMIT); SharedIntArray before = Shared.intArray(3)) {
            AsyncResult<List<Long>> workers = onBothWorkers(w -> {
                before.set(w, 1);
                int index = barrier.await();
                if (before.get(0) + before.get(1) + before.get(2) != 3) {
                    throw new IllegalStateException("passed before every party arrived");
                }
                return (long) index << 32 | pid();
            });
            before.set(2, 1);
            int mine = barrier.await();
            List<Long> theirs = workers.get();
            Set<Long> indexes = theirs.stream().map(r -> r >>> 32).collect(Collectors.toSet());
            indexes.add((long) mine);
            assertEquals(Set.of(0L, 1L, 2L), indexes);
            assertEquals(2, theirs.stream().map(r -> r & 0xFFFF_FFFFL).distinct().count(), "two workers took part");
            assertFalse(barrier.isBroken());
        }
    }

    @Test
    void aSemaphoreOfOneLetsOneWorkerInAtATime() throws Exception {
        try (SharedSemaphore semaphore = Shared.boundedSemaphore(1);
             SharedIntArray inside = Shared.rawArray('i', 3);
             SharedBarrier start = Shared.barrier(2, LIMIT)) {
            List<Long> ranOn = onBothWorkers(w -> {
                start.await(); // both start together, so that they contend
                for (int i = 0; i < 2_000; i++) {
                    try (var permit = semaphore.hold()) {
                        inside.set(2, Math.max(inside.get(2), inside.addAndGet(0, 1)));
                        inside.set(1, inside.get(1) + 1); // a plain read and write: only safe one at a time
                        inside.addAndGet(0, -1);
                    }
                }
                return pid();
            }).get();
            assertEquals(2, Set.copyOf(ranOn).size());
            assertEquals(1, inside.get(2), "at most one worker inside at any moment");
            assertEquals(4_000, inside.get(1), "no update lost");
            assertEquals(1, semaphore.availablePermits());
        }
    }

    @Test
    void anEventSetByTheCallerReleasesTheWaitingWorkers() throws Exception {
        try (SharedEvent go = Shared.event(); SharedInt waiting = Shared.intValue(0)) {
            AsyncResult<List<Boolean>> workers = onBothWorkers(w -> {
                waiting.incrementAndGet();
                return go.await(LIMIT);
            });
            while (waiting.get() < 2) {
                assertFalse(workers.ready());
                Thread.onSpinWait();
            }
            assertFalse(workers.ready(), "both wait for the event");
            go.set();
            assertEquals(List.of(true, true), workers.get());
        }
    }

    @Test
    void workersConsumeWhatTheCallerProducesUnderACondition() throws Exception {
        int n = 1_000;
        try (SharedLock lock = Shared.lock();
             SharedCondition notEmpty = Shared.condition(lock);
             SharedCondition notFull = Shared.condition(lock);
             SharedIntArray box = Shared.rawArray('i', 2)) {
            AsyncResult<List<Long>> consumers = onBothWorkers(w -> {
                long sum = 0;
                while (true) {
                    int item;
                    try (var held = notEmpty.hold()) {
                        if (!notEmpty.awaitUntil(() -> box.get(0) == 1, LIMIT)) {
                            throw new IllegalStateException("nothing came");
                        }
                        item = box.get(1);
                        box.set(0, 0);
                        notFull.signal();
                    }
                    if (item < 0) {
                        return sum;
                    }
                    sum += item;
                }
            });
            for (int i = 1; i <= n + 2; i++) {
                try (var held = notFull.hold()) {
                    assertTrue(notFull.awaitUntil(() -> box.get(0) == 0, LIMIT));
                    box.set(1, i <= n ? i : -1); // then one end mark per consumer
                    box.set(0, 1);
                    notEmpty.signal();
                }
            }
            assertEquals((long) n * (n + 1) / 2, consumers.get().stream().mapToLong(Long::longValue).sum());
            assertFalse(lock.isLocked());
        }
    }

    @Test
    void aWorkerKilledHoldingAConditionsLockLeavesItToTheNextWaiterWhoIsTold() {
        try (SharedCondition condition = Shared.condition(); SharedLong victim = Shared.longValue(0)) {
            long toldPid = POOL.get().apply(() -> {
                if (victim.compareAndSet(0, pid())) {
                    condition.acquire();
                    Runtime.getRuntime().halt(1); // dies holding the lock
                }
                try (var held = condition.hold()) { // the retried task, in another worker
                    condition.signalAll();
                    return held.ownerDied() ? condition.getLock().deadOwnerPid() : 0L;
                }
            });
            assertEquals(victim.get(), toldPid);
            assertFalse(condition.getLock().isLocked());
        }
    }

    @Test
    void aWorkerKilledWhileWaitingAtABarrierBreaksItForTheCaller() throws Exception {
        try (SharedBarrier barrier = Shared.barrier(3); SharedLong victim = Shared.longValue(0)) {
            AsyncResult<Long> task = POOL.get().applyAsync(() -> {
                if (victim.compareAndSet(0, pid())) {
                    new Thread(() -> barrier.await()).start();
                    while (!ChildProcess.arrivalRecorded(barrier)) {
                        Thread.onSpinWait();
                    }
                    Runtime.getRuntime().halt(1); // dies while its thread waits at the barrier
                }
                return pid();
            });
            BarrierBrokenException e = assertThrows(BarrierBrokenException.class, () -> barrier.await(LIMIT));
            assertTrue(e.getMessage().contains("(pid " + victim.get() + ") died while waiting"), e.getMessage());
            assertTrue(task.get() != victim.get(), "the task was retried on another worker");
        }
    }
}
