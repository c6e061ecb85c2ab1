package org.jparallel.internal.magic;

import org.jparallel.api.RunProgress;
import org.jparallel.api.TaskFailure;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a run's public snapshot and its failures become in the progress view: workers, counts per outcome, failures. */
class RunSourceTest {

    private static RunProgress snapshot(long done, long failed, long cancelled, long total, RunProgress.Worker... workers) {
        return new RunProgress(done, failed, cancelled, total, Duration.ofSeconds(10), done / 10.0, null, false,
                List.of(workers));
    }

    private static TaskFailure failure(TaskFailure.Kind kind, int worker, long pid, long element, String message) {
        return new TaskFailure(kind, worker, pid, element, Long.toString(element),
                kind == TaskFailure.Kind.EXCEPTION ? "java.lang.ArithmeticException" : null, message, List.of(), null);
    }

    @Test
    void showsASilentWorkerARunningTaskAndAFailureWhileTheRunLasts() {
        RunProgress progress = snapshot(1, 1, 0, 3,
                new RunProgress.Worker(0, 101, RunProgress.State.BUSY, 0, Duration.ofSeconds(5), Duration.ZERO, 0),
                new RunProgress.Worker(1, 202, RunProgress.State.SILENT, 0, Duration.ofSeconds(9), Duration.ofSeconds(7), 0),
                new RunProgress.Worker(2, 303, RunProgress.State.DEAD, 1, Duration.ZERO, Duration.ZERO, 0));
        List<TaskFailure> failures = List.of(failure(TaskFailure.Kind.WORKER_DIED, 2, 303, 2,
                "the worker process was killed by signal 9 (exit code 137)"));
        String text = ProgressText.block(RunSource.view("%%parallel", ProgressView.State.RUNNING, progress, failures));
        assertTrue(text.contains("worker 0  pid 101     busy          0 done · task running for 5."), text);
        assertTrue(text.contains("worker 1  pid 202     not answering 0 done · not answering for 7."), text);
        assertTrue(text.contains("worker 2  pid 303     dead          0 done, 1 failed"), text);
        assertTrue(text.contains("failed: worker 2 (pid 303), element 2 (= 2): the worker process was killed by signal 9 (exit code 137)"), text);
        assertTrue(text.contains("1/3 (1 failed)"), text);
    }

    @Test
    void listsThreeFailuresAndCountsTheRestTellingCancelledApart() {
        List<TaskFailure> failures = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            failures.add(failure(TaskFailure.Kind.EXCEPTION, 0, 101, i, "/ by zero"));
        }
        failures.add(failure(TaskFailure.Kind.CANCELLED, 0, 101, 9, "cancelled"));
        ProgressView view = RunSource.view("%%parallel --map x:xs", ProgressView.State.RUNNING,
                snapshot(8, 5, 1, 10), failures);
        assertEquals(3, view.done());
        assertEquals(5, view.failed());
        assertEquals(1, view.cancelled());
        String text = ProgressText.block(view);
        assertTrue(text.contains("failed: worker 0 (pid 101), element 2 (= 2): java.lang.ArithmeticException: / by zero"), text);
        assertFalse(text.contains("element 3 (= 3)"), text);
        assertTrue(text.contains("… 2 more failed"), text);
        assertFalse(text.contains("failed: worker 0 (pid 101), element 9"), text);
        assertTrue(text.contains("9/10 (5 failed, 1 cancelled)"), text);
        assertEquals(ProgressView.State.FAILED, view.ended());
    }

    /**
     * Elements a dying worker was running are counted as retried on its row (they ran again elsewhere), in the
     * headline, and in the HTML row; a run without any says nothing of retries.
     */
    @Test
    void retriedElementsShowOnTheWorkerThatLostThemAndInTheHeadline() {
        RunProgress progress = snapshot(10, 0, 0, 10,
                new RunProgress.Worker(0, 101, RunProgress.State.DEAD, 4, Duration.ZERO, Duration.ZERO, 3),
                new RunProgress.Worker(1, 202, RunProgress.State.IDLE, 6, Duration.ZERO, Duration.ZERO, 0));
        ProgressView view = RunSource.view("%%parallel --map x:xs", ProgressView.State.DONE, progress, List.of());
        assertEquals(3, view.retried());
        String text = ProgressText.block(view);
        assertTrue(text.contains("10/10 (3 retried) · "), text);
        assertTrue(text.contains("worker 0  pid 101     dead          4 done, 3 retried"), text);
        assertTrue(text.contains("worker 1  pid 202     idle          6 done\n") || text.endsWith("6 done"), text);
        assertTrue(ProgressHtml.render(view).contains("<td>4 done, 3 retried</td>"), ProgressHtml.render(view));
        assertFalse(ProgressText.block(RunSource.view("t", ProgressView.State.DONE, snapshot(1, 0, 0, 1), List.of()))
                .contains("retried"));
    }

    /** The total is known from the first frame for a collection, and the run's count takes over once it has one. */
    @Test
    void theTotalIsShownFromTheFirstFrameWhenKnownAndAsAQuestionMarkWhenNot() {
        assertTrue(ProgressText.line(new RunSource("t", 1000).view(ProgressView.State.RUNNING)).contains(" 0/1000 · "));
        assertTrue(ProgressText.line(RunSource.view("t", ProgressView.State.RUNNING, snapshot(2, 0, 0, -1), List.of()))
                .contains(" 2/? · "));
        assertTrue(ProgressText.line(RunSource.view("t", ProgressView.State.RUNNING, snapshot(2, 0, 0, 7), List.of()))
                .contains(" 2/7 · "));
    }
}
