package org.jparallel.api;

import org.jparallel.testing.FreshThreads;
import org.jparallel.testing.PoolPerClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CPython's {@code _TestBarrier} (itself from {@code test/lock_tests.py}), ported to {@link SharedBarrier}
 * with {@value #N} parties: one in each of the two workers of a shared pool and the rest in threads of this
 * JVM, as CPython's {@code Bunch} runs N - 1 processes beside the test's own thread. CPython's
 * {@code DummyList} counters are {@link SharedIntArray} slots. See docs/cpython-checklist.md.
 */
class CPythonBarrierIT {

    static final int N = 4;
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final PoolPerClass POOL = new PoolPerClass(2);

    /** What one party does, in a worker or in a thread here; what it throws fails the test. */
    interface Party extends java.io.Serializable {
        void run();
    }

    /** CPython's {@code run_threads}: {@code party} in both workers and in N - 2 threads here; waits for all. */
    private static void runParties(Party party) throws Exception {
        List<CompletableFuture<?>> all = new ArrayList<>();
        all.add(POOL.get().mapAsync(w -> {
            party.run();
            return w;
        }, List.of(0, 1)).toCompletableFuture());
        for (int i = 0; i < N - 2; i++) {
            all.add(CompletableFuture.runAsync(party::run, FreshThreads.EACH));
        }
        for (CompletableFuture<?> f : all) {
            f.get(60, TimeUnit.SECONDS);
        }
    }

    @Test // test_barrier and test_barrier_10: every party passes in lockstep, ten times
    void partiesPassTenTimesInLockstep() throws Exception {
        try (SharedBarrier barrier = Shared.barrier(N, LIMIT); SharedIntArray results = Shared.intArray(2)) {
            runParties(() -> {
                for (int i = 0; i < 10; i++) {
                    results.addAndGet(0, 1);
                    if (results.get(1) != i * N) {
                        throw new IllegalStateException("pass " + i + ": " + results.get(1) + " second halves done");
                    }
                    barrier.await();
                    results.addAndGet(1, 1);
                    if (results.get(0) != (i + 1) * N) {
                        throw new IllegalStateException("pass " + i + ": " + results.get(0) + " first halves done");
                    }
                    barrier.await();
                }
                if (barrier.numberWaiting() != 0 || barrier.isBroken()) {
                    throw new IllegalStateException("left waiting: " + barrier.numberWaiting());
                }
            });
            assertEquals(10 * N, results.get(1));
        }
    }

    @Test // test_wait_return: exactly one party gets 0
    void exactlyOnePartyArrivesFirst() throws Exception {
        try (SharedBarrier barrier = Shared.barrier(N, LIMIT); SharedQueue<Integer> queue = Shared.queue()) {
            runParties(() -> queue.put(barrier.await()));
            List<Integer> indexes = new ArrayList<>();
            for (int i = 0; i < N; i++) {
                indexes.add(queue.get(LIMIT));
            }
            indexes.sort(null);
            assertEquals(List.of(0, 1, 2, 3), indexes);
        }
    }

    @Test // test_action, as the documented replacement: the party that gets 0 acts between two waits
    void thePartyThatArrivesFirstActsBeforeAnyoneGoesOn() throws Exception {
        try (SharedBarrier barrier = Shared.barrier(N, LIMIT); SharedInt actions = Shared.intValue(0)) {
            runParties(() -> {
                if (barrier.await() == 0) {
                    actions.incrementAndGet();
                }
                barrier.await();
                if (actions.get() != 1) {
                    throw new IllegalStateException("went on after " + actions.get() + " actions");
                }
            });
            assertEquals(1, actions.get());
        }
    }

    @Test // test_abort
    void anAbortBreaksTheBarrierForEveryOtherParty() throws Exception {
        try (SharedBarrier barrier = Shared.barrier(N, LIMIT); SharedIntArray results = Shared.intArray(2)) {
            runParties(() -> {
                try {
                    int i = barrier.await();
                    if (i == N / 2) {
                        barrier.abort();
                        return;
                    }
                    barrier.await();
                    results.addAndGet(0, 1);
                } catch (BarrierBrokenException e) {
                    results.addAndGet(1, 1);
                }
            });
            assertEquals(0, results.get(0));
            assertEquals(N - 1, results.get(1));
            assertTrue(barrier.isBroken());
        }
    }

    @Test // test_reset: a reset frees the waiting parties, and the barrier is usable again
    void aResetFailsThePartiesWaitingAndTheNextPassWorks() throws Exception {
        try (SharedBarrier barrier = Shared.barrier(N, LIMIT); SharedIntArray results = Shared.intArray(3)) {
            runParties(() -> {
                int i = barrier.await();
                if (i == N / 2) {
                    long deadline = System.nanoTime() + LIMIT.toNanos();
                    while (barrier.numberWaiting() < N - 1) { // until the others all wait again
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException("only " + barrier.numberWaiting() + " waiting");
                        }
                        Thread.onSpinWait();
                    }
                    barrier.reset();
                } else {
                    try {
                        barrier.await();
                        results.addAndGet(0, 1);
                    } catch (BarrierBrokenException e) {
                        results.addAndGet(1, 1);
                    }
                }
                barrier.await(); // pass the barrier again
                results.addAndGet(2, 1);
            });
            assertEquals(0, results.get(0));
            assertEquals(N - 1, results.get(1));
            assertEquals(N, results.get(2));
        }
    }

    @Test // test_abort_and_reset: a broken barrier is usable again after a reset
    void aBarrierBrokenByAnAbortWorksAgainAfterAReset() throws Exception {
        try (SharedBarrier barrier = Shared.barrier(N, LIMIT); SharedBarrier barrier2 = Shared.barrier(N, LIMIT);
             SharedIntArray results = Shared.intArray(3)) {
            runParties(() -> {
                try {
                    int i = barrier.await();
                    if (i == N / 2) {
                        barrier.abort();
                    } else {
                        barrier.await();
                        results.addAndGet(0, 1);
                    }
                } catch (BarrierBrokenException e) {
                    results.addAndGet(1, 1);
                }
                // everyone has left the barrier before the reset, and nobody enters it before
                if (barrier2.await() == N / 2) {
                    barrier.reset();
                }
                barrier2.await();
                barrier.await();
                results.addAndGet(2, 1);
            });
            assertEquals(0, results.get(0));
            assertEquals(N - 1, results.get(1));
            assertEquals(N, results.get(2));
        }
    }

    /** CPython's {@code _test_timeout_f}: one party is late, the others' timeout breaks the barrier for all. */
    private static Party oneLate(SharedBarrier barrier, SharedInt broken, Duration timeout) {
        return () -> {
            int i = barrier.await();
            if (i == N / 2) { // late: CPython sleeps 1 s; this party comes once the barrier is broken
                long deadline = System.nanoTime() + LIMIT.toNanos();
                while (!barrier.isBroken() && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
            }
            try {
                if (timeout == null) {
                    barrier.await();
                } else {
                    barrier.await(timeout);
                }
            } catch (BarrierBrokenException e) {
                broken.incrementAndGet();
            }
        };
    }

    @Test // _TestBarrier.test_timeout
    void aTimeoutOfOnePartyBreaksTheBarrierForAll() throws Exception {
        try (SharedBarrier barrier = Shared.barrier(N, LIMIT); SharedInt broken = Shared.intValue(0)) {
            runParties(oneLate(barrier, broken, Duration.ofMillis(500)));
            assertEquals(N, broken.get());
        }
    }

    @Test // test_default_timeout
    void theBarriersDefaultTimeoutBreaksItForAll() throws Exception {
        try (SharedBarrier barrier = Shared.barrier(N, Duration.ofMillis(500)); SharedInt broken = Shared.intValue(0)) {
            runParties(oneLate(barrier, broken, null));
            assertEquals(N, broken.get());
        }
    }

    @Test // test_single_thread
    void aBarrierOfOnePartyNeverWaits() {
        try (SharedBarrier barrier = Shared.barrier(1)) {
            assertEquals(0, barrier.await());
            assertEquals(0, barrier.await());
            assertFalse(barrier.isBroken());
        }
    }

    @Test // test_thousand: a thousand passes, each party sending the pass number through a pipe under a lock
    void aThousandPassesInOrder() throws Exception {
        int passes = 1_000;
        try (SharedBarrier barrier = Shared.barrier(N, LIMIT); SharedLock lock = Shared.lock();
             SharedPipe<Integer> pipe = Shared.pipe(false)) {
            SharedConnection<Integer> child = pipe.second();
            List<Integer> received = new ArrayList<>();
            CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < passes * N; i++) {
                    received.add(pipe.first().recv());
                }
            }, FreshThreads.EACH);
            runParties(() -> {
                for (int i = 0; i < passes; i++) {
                    barrier.await();
                    try (var held = lock.hold()) {
                        child.send(i);
                    }
                }
            });
            reader.get(60, TimeUnit.SECONDS);
            for (int i = 0; i < passes; i++) {
                for (int j = 0; j < N; j++) {
                    assertEquals(i, received.get(i * N + j));
                }
            }
        }
    }

    @Test // TestSyncManagerTypes.test_barrier: a worker sees the parties and resets
    void aWorkerSeesThePartiesAndMayReset() throws Exception {
        try (SharedBarrier barrier = Shared.barrier(5)) {
            barrier.abort();
            assertEquals(5, POOL.get().applyAsync(() -> {
                barrier.reset();
                return barrier.parties();
            }).get(LIMIT));
            assertFalse(barrier.isBroken());
            assertThrows(BarrierBrokenException.class, () -> {
                barrier.abort();
                barrier.await();
            });
        }
    }
}
