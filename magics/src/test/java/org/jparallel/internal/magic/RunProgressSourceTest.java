package org.jparallel.internal.magic;

import org.jparallel.api.TaskFailure;
import org.jparallel.internal.pool.RunListener;
import org.jparallel.internal.pool.RunProgress;
import org.jparallel.internal.pool.WorkerState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a run's listener calls become in the progress view: workers, counts per outcome, failures. */
class RunProgressSourceTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void showsASilentWorkerARunningTaskAndAFailureWhileTheRunLasts() {
        RunProgressSource source = new RunProgressSource(RunListener.NONE, "%%parallel", -1);
        long now = System.nanoTime();
        source.progress(new RunProgress(0, 0, 3, now - 10 * SECOND, List.of(
                new RunProgress.WorkerProgress(0, 101, WorkerState.BUSY, 0, now - 5 * SECOND, 0),
                new RunProgress.WorkerProgress(1, 202, WorkerState.BUSY, 0, now - 9 * SECOND, now - 7 * SECOND))));
        String text = ProgressText.block(source.view(ProgressView.State.RUNNING));
        assertTrue(text.contains("worker 0  pid 101     busy          0 done · task running for 5."), text);
        assertTrue(text.contains("worker 1  pid 202     not answering 0 done · not answering for 7."), text);
        assertTrue(text.contains(": 0/3 · "), text);

        source.failure(new TaskFailure(TaskFailure.Kind.WORKER_DIED, 2, 303, 2, "", null,
                "the worker process was killed by signal 9 (exit code 137)", List.of(), null));
        source.progress(new RunProgress(0, 1, 3, now - 10 * SECOND, List.of(
                new RunProgress.WorkerProgress(2, 303, WorkerState.DEAD, 0, 0, 0))));
        text = ProgressText.block(source.view(ProgressView.State.RUNNING));
        assertTrue(text.contains("worker 2  pid 303     dead          0 done, 1 failed"), text);
        assertTrue(text.contains("failed: worker 2 (pid 303): the worker process was killed by signal 9 (exit code 137)"), text);
        assertTrue(text.contains("1/3 (1 failed)"), text);
    }

    @Test
    void listsThreeFailuresAndCountsTheRestTellingCancelledApart() {
        RunProgressSource source = new RunProgressSource(RunListener.NONE, "%%parallel --map x:xs", 10);
        for (int i = 0; i < 5; i++) {
            source.failure(new TaskFailure(TaskFailure.Kind.EXCEPTION, 0, 101, i, Integer.toString(i),
                    "java.lang.ArithmeticException", "/ by zero", List.of(), null));
        }
        source.failure(new TaskFailure(TaskFailure.Kind.CANCELLED, 0, 101, 9, "9", null, "cancelled", List.of(), null));
        source.results(5, List.of(5, 6, 7), 1);
        ProgressView view = source.view(ProgressView.State.RUNNING);
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

    /** The total is known from the first frame for a collection, and the pool's count takes over once it has one. */
    @Test
    void theTotalIsShownFromTheFirstFrameWhenKnownAndAsAQuestionMarkWhenNot() {
        assertTrue(ProgressText.line(new RunProgressSource(RunListener.NONE, "t", 1000).view(ProgressView.State.RUNNING))
                .contains(" 0/1000 · "));
        RunProgressSource lazy = new RunProgressSource(RunListener.NONE, "t", -1);
        lazy.results(0, List.of(1, 2), 0);
        assertTrue(ProgressText.line(lazy.view(ProgressView.State.RUNNING)).contains(" 2/? · "));
        lazy.progress(new RunProgress(2, 0, 7, System.nanoTime(), List.of()));
        assertTrue(ProgressText.line(lazy.view(ProgressView.State.RUNNING)).contains(" 2/7 · "));
    }
}
