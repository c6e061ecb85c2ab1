package org.jparallel.internal.magic;

import org.jparallel.api.RunProgress;
import org.jparallel.api.TaskFailure;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the progress display of a running cell says about its workers and its failures (as plain text). */
class ProgressDisplayTest {

    private static RunProgress running(long done, long failed, long total, List<RunProgress.Worker> workers) {
        return new RunProgress(done, failed, 0, total, Duration.ofSeconds(10), 0, null, false, workers);
    }

    @Test
    void showsASilentWorkerARunningTaskAndAFailureWhileTheRunLasts() {
        ProgressDisplay display = new ProgressDisplay("%%parallel", false);
        display.progress(running(0, 0, 3, List.of(
                new RunProgress.Worker(0, 101, RunProgress.State.BUSY, 0, Duration.ofSeconds(5), Duration.ZERO),
                new RunProgress.Worker(1, 202, RunProgress.State.SILENT, 0, Duration.ofSeconds(9),
                        Duration.ofSeconds(7)))), List.of());
        String text = display.text(false, null);
        assertTrue(text.contains("worker 0  pid 101     busy     0 done · task running for 5."), text);
        assertTrue(text.contains("worker 1  pid 202     silent   0 done · not answering for 7."), text);

        TaskFailure died = new TaskFailure(TaskFailure.Kind.WORKER_DIED, 2, 303, 2, "", null,
                "the worker process was killed by signal 9 (exit code 137)", List.of(), null);
        display.progress(running(1, 1, 3, List.of(
                new RunProgress.Worker(2, 303, RunProgress.State.DEAD, 1, Duration.ZERO, Duration.ZERO))), List.of(died));
        text = display.text(false, null);
        assertTrue(text.contains("worker 2  pid 303     dead     1 done"), text);
        assertTrue(text.contains("failed: worker 2 (pid 303): the worker process was killed by signal 9 (exit code 137)"), text);
        assertTrue(text.contains("(1 failed)"), text);
    }

    @Test
    void listsThreeFailuresAndCountsTheRestLeavingOutCancelledOnes() {
        ProgressDisplay display = new ProgressDisplay("%%parallel --map x:xs", false);
        List<TaskFailure> failures = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            failures.add(new TaskFailure(TaskFailure.Kind.EXCEPTION, 0, 101, i, Integer.toString(i),
                    "java.lang.ArithmeticException", "/ by zero", List.of(), null));
        }
        failures.add(new TaskFailure(TaskFailure.Kind.CANCELLED, 0, 101, 9, "9", null, "cancelled", List.of(), null));
        display.progress(running(6, 5, 10, List.of()), failures);
        String text = display.text(false, null);
        assertTrue(text.contains("failed: worker 0 (pid 101), element 2 (= 2): java.lang.ArithmeticException: / by zero"), text);
        assertFalse(text.contains("element 3 (= 3)"), text);
        assertTrue(text.contains("… 2 more failed"), text);
        assertFalse(text.contains("cancelled"), text);
    }
}
