package org.jparallel.internal.shm;

import org.jparallel.api.BarrierBrokenException;
import org.jparallel.api.Shared;
import org.jparallel.api.SharedBarrier;
import org.jparallel.api.SharedCondition;
import org.jparallel.api.SharedEvent;
import org.jparallel.api.SharedIntArray;
import org.jparallel.api.SharedLock;
import org.jparallel.api.SharedLong;
import org.jparallel.api.SharedSemaphore;
import org.jparallel.testing.NoSegmentsLeft;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Semaphores, events, conditions and barriers shared by this JVM and a child JVM ({@link ChildProcess}). */
@ExtendWith(NoSegmentsLeft.class)
class SyncTwoProcessIT {

    private static final Duration LIMIT = Duration.ofSeconds(60);

    /** Waits for {@code child} to exit and returns its exit code; kills it if the test fails first. */
    private static int exitCode(Process child) {
        try {
            return assertTimeoutPreemptively(LIMIT, () -> child.waitFor());
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void aSemaphoreOfOneLetsOneProcessInAtATime() throws Exception {
        int rounds = 20_000;
        try (SharedSemaphore semaphore = Shared.boundedSemaphore(1); SharedIntArray inside = Shared.intArray(3)) {
            Process child = ChildProcess.start("semaphore-rounds", Integer.toString(rounds),
                    ChildProcess.describe(semaphore), ChildProcess.describe(inside));
            assertEquals("ready", ChildProcess.firstLine(child));
            ChildProcess.semaphoreRounds(semaphore, inside, rounds);
            assertEquals(0, exitCode(child));
            assertEquals(0, inside.get(1), "never two holders inside at once");
            assertEquals(2 * rounds, inside.get(2), "no increment lost");
            assertEquals(1, semaphore.availablePermits());
        }
    }

    @Test
    void twoProcessesPassABarrierTogetherRoundAfterRound() throws Exception {
        int rounds = 200;
        try (SharedBarrier barrier = Shared.barrier(2); SharedIntArray seen = Shared.intArray(4)) {
            Process child = ChildProcess.start("barrier-rounds", Integer.toString(rounds),
                    ChildProcess.describe(barrier), ChildProcess.describe(seen));
            ChildProcess.barrierRounds(barrier, seen, 0, rounds);
            assertEquals(0, exitCode(child));
            assertEquals(rounds, seen.get(2), "one first arrival per round");
            assertEquals(rounds, seen.get(3), "one second arrival per round");
        }
    }

    @Test
    void aProducerAndAConsumerInTwoProcessesLoseNothing() throws Exception {
        int n = 2_000;
        try (SharedLock lock = Shared.rlock();
             SharedCondition notEmpty = Shared.condition(lock);
             SharedCondition notFull = Shared.condition(lock);
             SharedIntArray box = Shared.rawArray('i', 2);
             SharedLong sum = Shared.longValue(0)) {
            Process child = ChildProcess.start("consume", Integer.toString(n), ChildProcess.describe(notEmpty),
                    ChildProcess.describe(notFull), ChildProcess.describe(box), ChildProcess.describe(sum));
            ChildProcess.produce(notEmpty, notFull, box, n);
            assertEquals(0, exitCode(child));
            assertEquals((long) n * (n + 1) / 2, sum.get());
        }
    }

    @Test
    void anEventSetHereReleasesAWaiterThere() throws Exception {
        try (SharedEvent event = Shared.event()) {
            Process child = ChildProcess.start("event-wait", ChildProcess.describe(event));
            assertEquals("waiting", ChildProcess.firstLine(child));
            event.set();
            assertEquals(0, exitCode(child));
        }
    }

    @Test
    void aPartyThatDiesWhileWaitingBreaksTheBarrierForTheOthers() throws Exception {
        try (SharedBarrier barrier = Shared.barrier(3)) {
            Process child = ChildProcess.start("arrive-and-halt", ChildProcess.describe(barrier));
            assertEquals("waiting", ChildProcess.firstLine(child));
            assertEquals(1, exitCode(child));
            BarrierBrokenException e = assertThrows(BarrierBrokenException.class, () -> barrier.await(LIMIT));
            assertTrue(e.getMessage().contains("(pid " + child.pid() + ") died while waiting"), e.getMessage());
        }
    }
}
