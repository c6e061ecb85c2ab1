package org.jparallel.internal.magic;

import org.jparallel.api.TaskFailure;
import org.jparallel.internal.pool.RunListener;
import org.jparallel.internal.pool.RunProgress;
import org.jparallel.internal.pool.WorkerState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the progress display of a running cell says about its workers and its failures (as plain text). */
class ProgressDisplayTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void showsASilentWorkerARunningTaskAndAFailureWhileTheRunLasts() {
        ProgressDisplay display = new ProgressDisplay(RunListener.NONE, "%%parallel", false);
        long now = System.nanoTime();
        display.progress(new RunProgress(0, 0, 3, now - 10 * SECOND, List.of(
                new RunProgress.WorkerProgress(0, 101, WorkerState.BUSY, 0, now - 5 * SECOND, 0),
                new RunProgress.WorkerProgress(1, 202, WorkerState.BUSY, 0, now - 9 * SECOND, now - 7 * SECOND))));
        String text = display.text(false, null);
        assertTrue(text.contains("worker 0  pid 101     busy     0 done · task running for 5."), text);
        assertTrue(text.contains("worker 1  pid 202     silent   0 done · not answering for 7."), text);

        display.failure(new TaskFailure(TaskFailure.Kind.WORKER_DIED, 2, 303, 2, "", null,
                "the worker process was killed by signal 9 (exit code 137)", List.of(), null));
        display.progress(new RunProgress(0, 1, 3, now - 10 * SECOND, List.of(
                new RunProgress.WorkerProgress(2, 303, WorkerState.DEAD, 0, 0, 0))));
        text = display.text(false, null);
        assertTrue(text.contains("worker 2  pid 303     dead     1 done"), text);
        assertTrue(text.contains("failed: worker 2 (pid 303): the worker process was killed by signal 9 (exit code 137)"), text);
        assertTrue(text.contains("(1 failed)"), text);
    }

    @Test
    void listsThreeFailuresAndCountsTheRestLeavingOutCancelledOnes() {
        ProgressDisplay display = new ProgressDisplay(RunListener.NONE, "%%parallel --map x:xs", false);
        display.progress(new RunProgress(0, 0, 10, System.nanoTime(), List.of()));
        for (int i = 0; i < 5; i++) {
            display.failure(new TaskFailure(TaskFailure.Kind.EXCEPTION, 0, 101, i, Integer.toString(i),
                    "java.lang.ArithmeticException", "/ by zero", List.of(), null));
        }
        display.failure(new TaskFailure(TaskFailure.Kind.CANCELLED, 0, 101, 9, "9", null, "cancelled", List.of(), null));
        String text = display.text(false, null);
        assertTrue(text.contains("failed: worker 0 (pid 101), element 2 (= 2): java.lang.ArithmeticException: / by zero"), text);
        assertFalse(text.contains("element 3 (= 3)"), text);
        assertTrue(text.contains("… 2 more failed"), text);
        assertFalse(text.contains("cancelled"), text);
    }
}
