package org.jparallel.internal.pool;

import org.jparallel.api.RunTimeline;
import org.jparallel.internal.wire.Message;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A run's {@link SpanLog} stays bounded: a million one-element tasks keep at most {@link SpanLog#MAX_SPANS} spans. */
class SpanLogTest {

    private static final long US = 1_000;

    private final Run run = new Run(1, RunListener.NONE, List.of(), 2, new byte[]{1}, Message.CallShape.ONE_ARGUMENT,
            false, null, false, false);
    private final List<WorkerHandle> workers = List.of(new WorkerHandle(0, 100, 7000), new WorkerHandle(1, 101, 7001));

    /** A one-element task, element {@code element}, run on {@code worker} from {@code start} for {@code length}. */
    private void ran(SpanLog log, long element, WorkerHandle worker, long start, long length, RunTimeline.Outcome outcome) {
        Task task = new Task(element + 10, run, element, 1, null, -1, null);
        task.sentTo(worker, start);
        task.reported(start + length, length, start + length);
        log.reported(task, worker, outcome);
    }

    @Test
    void aMillionTasksOfTenMicrosecondsKeepAtMostTheLimitAndEveryElementAndAnIdleSecondStaysVisible() {
        SpanLog log = new SpanLog(run.startedNanos);
        long t = run.startedNanos;
        for (long e = 0; e < 1_000_000; e += 2) {
            if (e == 500_000) {
                t += 1_000_000_000L; // both workers idle for a second
            }
            ran(log, e, workers.get(0), t, 10 * US, e == 400_000 ? RunTimeline.Outcome.FAILED : RunTimeline.Outcome.DONE);
            ran(log, e + 1, workers.get(1), t, 10 * US, RunTimeline.Outcome.DONE);
            t += 12 * US;
        }
        log.ended(t);
        RunTimeline timeline = log.snapshot(workers, t);
        int spans = timeline.rows().stream().mapToInt(r -> r.spans().size()).sum();
        assertTrue(spans <= SpanLog.MAX_SPANS, spans + " spans");
        assertTrue(spans >= 4, "the failed span and the idle second split the rows: " + spans);
        assertEquals(1_000_000, timeline.rows().stream().flatMap(r -> r.spans().stream())
                .mapToLong(RunTimeline.Span::elements).sum());
        assertEquals(1_000_000, timeline.rows().stream().flatMap(r -> r.spans().stream())
                .mapToLong(RunTimeline.Span::tasks).sum());
        assertTrue(timeline.mergedBelow().toNanos() > 0 && timeline.mergedBelow().toNanos() < 1_000_000_000L,
                "merged below " + timeline.mergedBelow());
        RunTimeline.Row first = timeline.rows().get(0);
        assertTrue(first.spans().stream().anyMatch(s -> s.outcome() == RunTimeline.Outcome.FAILED
                && s.firstElement() <= 400_000 && s.lastElement() >= 400_000), "the failure is kept as failed");
        long idleSecond = 0;
        for (int i = 1; i < first.spans().size(); i++) {
            idleSecond = Math.max(idleSecond, first.spans().get(i).startNanos() - first.spans().get(i - 1).endNanos());
        }
        assertTrue(idleSecond >= 1_000_000_000L, "longest gap " + idleSecond);
        assertEquals(500_000 * 10 * US, first.busyNanos(), "busy time is summed before merging");
    }

    @Test
    void spansAlternatingOutcomesMergeIntoTheWorseWhenNothingElseFits() {
        SpanLog log = new SpanLog(run.startedNanos);
        long t = run.startedNanos;
        for (long e = 0; e < 3 * SpanLog.MAX_SPANS; e++) {
            ran(log, e, workers.get(0), t, 10 * US, e % 2 == 0 ? RunTimeline.Outcome.DONE : RunTimeline.Outcome.FAILED);
            t += 10 * US;
        }
        List<RunTimeline.Span> spans = log.snapshot(List.of(), t).rows().get(0).spans();
        assertTrue(spans.size() <= SpanLog.MAX_SPANS, spans.size() + " spans");
        assertTrue(spans.stream().anyMatch(s -> s.tasks() > 1), "some were merged");
        // those merged name the failure; those since the last merge are as they came
        assertTrue(spans.stream().allMatch(s -> s.tasks() == 1 || s.outcome() == RunTimeline.Outcome.FAILED));
    }

    /**
     * A worker whose clock is an hour off: its spans land on the kernel's clock through the quickest of its reports
     * (here 20 µs in transit), whatever the slowest took.
     */
    @Test
    void aWorkersClockIsSetByItsQuickestReport() {
        SpanLog log = new SpanLog(run.startedNanos);
        long hour = 3_600_000_000_000L;
        long[] delays = {300 * US, 20 * US, 5_000 * US};
        for (int i = 0; i < 3; i++) {
            Task task = new Task(i + 10, run, i, 1, null, -1, null);
            long end = run.startedNanos + (i + 1) * 100 * US;
            task.sentTo(workers.get(0), run.startedNanos);
            task.reported(end + delays[i], 100 * US, end - hour);
            log.reported(task, workers.get(0), RunTimeline.Outcome.DONE);
        }
        List<RunTimeline.Span> spans = log.snapshot(List.of(), run.startedNanos + 400 * US).rows().get(0).spans();
        assertEquals(List.of(20 * US, 120 * US, 220 * US), spans.stream().map(RunTimeline.Span::startNanos).toList());
        assertEquals(List.of(120 * US, 220 * US, 320 * US), spans.stream().map(RunTimeline.Span::endNanos).toList());
    }

    @Test
    void aTaskWithoutTimesStartsWhenItWasSentOrWhenTheWorkersLastSpanEnded() {
        SpanLog log = new SpanLog(run.startedNanos);
        Task first = new Task(5, run, 0, 1, null, -1, null);
        first.sentTo(workers.get(0), run.startedNanos + 50 * US);
        log.unreported(first, workers.get(0), RunTimeline.Outcome.RETRIED, run.startedNanos + 80 * US);
        Task second = new Task(6, run, 1, 1, null, -1, null);
        second.sentTo(workers.get(0), run.startedNanos + 60 * US);
        log.unreported(second, workers.get(0), RunTimeline.Outcome.LOST, run.startedNanos + 90 * US);
        List<RunTimeline.Span> spans = log.snapshot(List.of(), run.startedNanos + 90 * US).rows().get(0).spans();
        assertEquals(List.of(50 * US, 80 * US), spans.stream().map(RunTimeline.Span::startNanos).toList());
        assertEquals(List.of(80 * US, 90 * US), spans.stream().map(RunTimeline.Span::endNanos).toList());
    }
}
