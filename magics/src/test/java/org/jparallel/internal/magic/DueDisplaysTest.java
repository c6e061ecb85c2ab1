package org.jparallel.internal.magic;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DueDisplaysTest {

    private final ScheduledThreadPoolExecutor clock = new ScheduledThreadPoolExecutor(1);

    @AfterEach
    void stopClock() {
        clock.shutdownNow();
    }

    @Test
    void showsTheRunsStillGoingWhenTheyAreDueAndNotTheEndedOnes() throws InterruptedException {
        DueDisplays displays = new DueDisplays(clock, 20, 20);
        int calls = 1_000;
        Set<Integer> shown = ConcurrentHashMap.newKeySet();
        CountDownLatch going = new CountDownLatch(calls / 2);
        for (int i = 0; i < calls; i++) {
            int call = i;
            boolean ended = i % 2 == 0; // as an apply that answered before its display was due
            displays.add(() -> ended, () -> {
                shown.add(call);
                going.countDown();
            });
        }
        assertTrue(going.await(10, TimeUnit.SECONDS), "shown: " + shown.size());
        assertEquals(calls / 2, shown.size());
        assertTrue(shown.stream().allMatch(call -> call % 2 == 1), "an ended run was shown");
        // one clock task for the burst, not one per call (a stall over 20 ms between two adds makes it two)
        assertTrue(clock.getTaskCount() < 10, "clock tasks: " + clock.getTaskCount());
    }

    @Test
    void aSteadyStreamOfShortCallsWakesTheClockOncePerBatchNotPerCall() throws InterruptedException {
        DueDisplays displays = new DueDisplays(clock, 20, 20);
        long added = 0;
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        while (System.nanoTime() < end) { // calls that end at once, as applies in a loop
            displays.add(() -> true, () -> {
                throw new AssertionError("an ended call was shown");
            });
            added++;
            LockSupport.parkNanos(10_000); // a stream of calls, not millions of entries at once
        }
        CountDownLatch last = new CountDownLatch(1);
        displays.add(() -> false, last::countDown);
        assertTrue(last.await(10, TimeUnit.SECONDS));
        // one look per 20 ms batch over the 220 ms the calls are due in is 11 or 12; a task per call, thousands
        assertTrue(clock.getTaskCount() <= 20, clock.getTaskCount() + " clock tasks for " + added + " calls");
    }

    @Test
    void aDisplayThatFailsToShowLeavesTheOthersAndLaterOnesShown() throws InterruptedException {
        DueDisplays displays = new DueDisplays(clock, 5, 5);
        CountDownLatch shown = new CountDownLatch(2);
        displays.add(() -> false, () -> {
            throw new IllegalStateException("no front end");
        });
        displays.add(() -> false, shown::countDown);
        displays.add(() -> false, shown::countDown);
        assertTrue(shown.await(10, TimeUnit.SECONDS));
        CountDownLatch later = new CountDownLatch(1);
        displays.add(() -> false, later::countDown);
        assertTrue(later.await(10, TimeUnit.SECONDS), "the clock stopped looking after a failure");
    }
}
