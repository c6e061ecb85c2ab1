package org.jparallel.api;

import org.jparallel.testing.Await;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CPython's {@code _TestCondition} and {@code _TestEvent}, and the event case of {@code TestSyncManagerTypes},
 * ported to {@link SharedCondition} and {@link SharedEvent}: waiters in the two workers of one shared pool
 * and in threads of this JVM. Nothing is left in /dev/shm. See docs/cpython-checklist.md.
 */
class CPythonConditionIT {

    private static final Duration LIMIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final PoolPerClass POOL = new PoolPerClass(2);

    /** CPython's {@code f}: takes the lock, says it sleeps, waits (at most {@code timeout}), says it woke. */
    static boolean sleepThenWake(SharedCondition cond, SharedSemaphore sleeping, SharedSemaphore woken, Duration timeout) {
        cond.acquire();
        try {
            sleeping.release();
            return cond.await(timeout);
        } finally {
            woken.release();
            cond.release();
        }
    }

    /** Two waiters in the workers and {@code threads} in this JVM; completes with whether each was signalled. */
    private static List<CompletableFuture<?>> waiters(SharedCondition cond, SharedSemaphore sleeping, SharedSemaphore woken,
                                                      Duration timeout, int threads) {
        List<CompletableFuture<?>> all = new ArrayList<>();
        all.add(POOL.get().mapAsync(w -> sleepThenWake(cond, sleeping, woken, timeout), List.of(0, 1)).toCompletableFuture());
        for (int i = 0; i < threads; i++) {
            all.add(CompletableFuture.supplyAsync(() -> sleepThenWake(cond, sleeping, woken, timeout), FreshThreads.EACH));
        }
        return all;
    }

    private static void awaitPermits(SharedSemaphore s, int permits) {
        Await.until(permits + " permits", LIMIT, () -> s.availablePermits() == permits);
    }

    private static void signal(SharedCondition cond, boolean all) {
        try (var held = cond.hold()) {
            if (all) {
                cond.signalAll();
            } else {
                cond.signal();
            }
        }
    }

    @Test // test_notify
    void eachSignalWakesOneWaiterInAWorkerOrInThisJvm() throws Exception {
        try (SharedCondition cond = Shared.condition(); SharedSemaphore sleeping = Shared.semaphore(0);
             SharedSemaphore woken = Shared.semaphore(0)) {
            List<CompletableFuture<?>> waiting = waiters(cond, sleeping, woken, LIMIT, 1);
            for (int i = 0; i < 3; i++) {
                assertTrue(sleeping.acquire(LIMIT));
            }
            assertEquals(0, woken.availablePermits());
            signal(cond, false);
            awaitPermits(woken, 1);
            signal(cond, false);
            awaitPermits(woken, 2);
            signal(cond, false);
            awaitPermits(woken, 3);
            for (CompletableFuture<?> w : waiting) {
                Object signalled = w.get(60, TimeUnit.SECONDS);
                assertTrue(signalled.equals(true) || signalled.equals(List.of(true, true)), String.valueOf(signalled));
            }
        }
    }

    @Test // test_notify_all
    void waitersTimeOutThenSignalAllWakesEveryWaiter() throws Exception {
        try (SharedCondition cond = Shared.condition(); SharedSemaphore sleeping = Shared.semaphore(0);
             SharedSemaphore woken = Shared.semaphore(0)) {
            List<CompletableFuture<?>> timingOut = waiters(cond, sleeping, woken, Duration.ofMillis(100), 2);
            for (int i = 0; i < 4; i++) {
                assertTrue(sleeping.acquire(LIMIT));
            }
            for (int i = 0; i < 4; i++) {
                assertTrue(woken.acquire(LIMIT), "every waiter times out by itself");
            }
            for (CompletableFuture<?> w : timingOut) {
                Object signalled = w.get(60, TimeUnit.SECONDS);
                assertTrue(signalled.equals(false) || signalled.equals(List.of(false, false)), String.valueOf(signalled));
            }

            List<CompletableFuture<?>> waiting = waiters(cond, sleeping, woken, LIMIT, 2);
            for (int i = 0; i < 4; i++) {
                assertTrue(sleeping.acquire(LIMIT));
            }
            assertEquals(0, woken.availablePermits());
            signal(cond, true);
            for (int i = 0; i < 4; i++) {
                assertTrue(woken.acquire(LIMIT));
            }
            for (CompletableFuture<?> w : waiting) {
                Object signalled = w.get(60, TimeUnit.SECONDS);
                assertTrue(signalled.equals(true) || signalled.equals(List.of(true, true)), String.valueOf(signalled));
            }
            assertFalse(cond.getLock().isLocked());
        }
    }

    @Test // _TestCondition.test_timeout
    void aWaitWithNobodySignallingReturnsFalseAfterItsTimeout() {
        try (SharedCondition cond = Shared.condition()) {
            cond.acquire();
            long start = System.nanoTime();
            assertFalse(cond.await(Duration.ofMillis(100)));
            assertTrue(System.nanoTime() - start >= Duration.ofMillis(100).toNanos());
            assertTrue(cond.getLock().isHeldByCurrentThread(), "the lock is held again after the wait");
            cond.release();
        }
    }

    @Test // test_waitfor
    void awaitUntilWaitsForThePredicateInAWorkerAndHere() throws Exception {
        try (SharedCondition cond = Shared.condition(); SharedInt state = Shared.intValue(-1)) {
            AsyncResult<Boolean> child = POOL.get().applyAsync(() -> {
                try (var held = cond.hold()) {
                    state.set(0);
                    cond.signal();
                    return cond.awaitUntil(() -> state.get() == 4, LIMIT) && state.get() == 4;
                }
            });
            try (var held = cond.hold()) {
                assertTrue(cond.awaitUntil(() -> state.get() == 0, LIMIT));
                assertEquals(0, state.get());
            }
            for (int i = 0; i < 4; i++) {
                try (var held = cond.hold()) {
                    state.set(state.get() + 1);
                    cond.signal();
                }
            }
            assertTrue(child.get(LIMIT));
        }
    }

    @Test // test_waitfor_timeout
    void awaitUntilAPredicateThatNeverHoldsReturnsFalseAfterItsTimeout() throws Exception {
        try (SharedCondition cond = Shared.condition(); SharedInt state = Shared.intValue(0);
             SharedSemaphore started = Shared.semaphore(0)) {
            AsyncResult<Long> child = POOL.get().applyAsync(() -> {
                started.release();
                try (var held = cond.hold()) {
                    long t = System.nanoTime();
                    boolean result = cond.awaitUntil(() -> state.get() == 4, Duration.ofMillis(100));
                    long waited = System.nanoTime() - t;
                    return result ? -1 : waited;
                }
            });
            assertTrue(started.acquire(LIMIT));
            for (int i = 0; i < 3; i++) { // only three: state == 4 is never reached
                try (var held = cond.hold()) {
                    state.set(state.get() + 1);
                    cond.signal();
                }
            }
            long waited = child.get(LIMIT);
            assertTrue(waited >= Duration.ofMillis(100).toNanos(), "false after " + waited / 1_000_000 + " ms");
        }
    }

    @Test // test_wait_result
    void aWaitReturnsWhetherItWasSignalled() throws Exception {
        try (SharedCondition cond = Shared.condition()) {
            cond.acquire();
            try {
                assertFalse(cond.await(Duration.ZERO));
                assertFalse(cond.await(Duration.ofMillis(100)));
                AsyncResult<Integer> child = POOL.get().applyAsync(() -> {
                    try (var held = cond.hold()) { // gets the lock once this JVM waits
                        cond.signal();
                    }
                    return 0;
                });
                assertTrue(cond.await(LIMIT));
                child.get(LIMIT);
            } finally {
                cond.release();
            }
        }
    }

    // ---- events ----

    @Test // _TestEvent.test_event
    void anEventIsClearUntilSetAndAWorkerCanSetIt() throws Exception {
        try (SharedEvent event = Shared.event()) {
            assertFalse(event.isSet());
            assertFalse(event.await(Duration.ZERO));
            long start = System.nanoTime();
            assertFalse(event.await(Duration.ofMillis(100)));
            assertTrue(System.nanoTime() - start >= Duration.ofMillis(100).toNanos());

            event.set();
            assertTrue(event.isSet());
            event.await();
            assertTrue(event.await(Duration.ofMillis(100)));

            event.clear();
            assertFalse(event.isSet());
            AsyncResult<Integer> child = POOL.get().applyAsync(() -> {
                event.set();
                return 0;
            });
            assertTrue(event.await(LIMIT));
            child.get(LIMIT);
        }
    }

    @Test // TestSyncManagerTypes.test_event
    void aWorkerSeesTheEventSetAndClearsIt() throws Exception {
        try (SharedEvent event = Shared.event()) {
            event.set();
            String seen = POOL.get().applyAsync(() -> {
                boolean wasSet = event.isSet();
                event.await();
                event.clear();
                return wasSet + " " + event.await(Duration.ofMillis(1));
            }).get(LIMIT);
            assertEquals("true false", seen);
            assertFalse(event.isSet());
        }
    }
}
