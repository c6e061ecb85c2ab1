package org.jparallel.internal.pool;

import org.jparallel.api.RunTimeline;
import org.jparallel.api.TaskFailure;
import org.jparallel.internal.code.CodeSource;
import org.jparallel.internal.codec.ValueCodec;
import org.jparallel.internal.wire.Message;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The spans a run's timeline records, through the real {@link Dispatcher} on a clock of the test's own: two
 * {@link WorkerHandle}s, messages to an in-memory outbox, reports made up here with the running times a worker
 * would measure. No JVM, no socket, no sleep: every time is exact.
 */
class TimelineSpansTest {

    private static final long MS = 1_000_000;
    /** The workers' clock runs this far behind the kernel's: the timeline must not care. */
    private static final long SKEW = -3_000 * MS;

    private final ValueCodec values = new ValueCodec(TimelineSpansTest.class.getClassLoader());
    private final AtomicLong ids = new AtomicLong();
    private final Object lock = new Object();
    private final WorkerRoster roster = new WorkerRoster();
    private final List<Message.RunChunk> sent = new ArrayList<>();
    private final List<WorkerHandle> workers = new ArrayList<>();
    private long now;
    private Dispatcher dispatcher;
    private Run run;

    @BeforeEach
    void twoWorkers() {
        dispatcher = new Dispatcher(roster, (peer, message) -> {
            if (message instanceof Message.RunChunk chunk) {
                sent.add(chunk);
            }
        }, CodeSource.PLAIN, values, 0, ids::incrementAndGet, lock, Runnable::run, () -> now);
        for (int i = 0; i < 2; i++) {
            WorkerHandle worker = new WorkerHandle(i, 100 + i, 7000 + i);
            roster.add(worker);
            worker.join(now);
            workers.add(worker);
        }
        run = new Run(ids.incrementAndGet(), RunListener.NONE, List.of(), ids.incrementAndGet(), new byte[]{1},
                Message.CallShape.ONE_ARGUMENT, false, null, false, false);
        now = run.startedNanos;
        dispatcher.add(run);
    }

    /** Queues chunks of the given sizes, in order, and hands them out. */
    private void queue(int... sizes) {
        long first = 0;
        for (int size : sizes) {
            List<Integer> elements = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                elements.add((int) first + i);
            }
            run.queue(new Task(ids.incrementAndGet(), run, first, size, values.encodeAll(elements, "element"), -1,
                    elements));
            first += size;
        }
        run.endInput();
        synchronized (lock) {
            dispatcher.dispatch();
        }
    }

    /** The chunk that starts at {@code firstElement}, as sent. */
    private Message.RunChunk chunk(long firstElement) {
        for (int i = sent.size() - 1; i >= 0; i--) {
            if (sent.get(i).firstElement() == firstElement) {
                return sent.get(i);
            }
        }
        throw new AssertionError("no chunk from element " + firstElement + " was sent");
    }

    private WorkerHandle holder(Message.RunChunk chunk) {
        return workers.stream().filter(w -> w.task(chunk.task()) != null).findFirst().orElseThrow();
    }

    /**
     * The worker holding the chunk from {@code firstElement} ends it at {@code endedMs} (the kernel's time; its own
     * clock is off by {@link #SKEW}), having run {@code ranMs}; its report arrives {@code delayMs} later.
     */
    private void report(long firstElement, long endedMs, long ranMs, long delayMs, List<Message.Failure> failures) {
        Message.RunChunk chunk = chunk(firstElement);
        WorkerHandle worker = holder(chunk);
        int size = worker.task(chunk.task()).size;
        long ended = run.startedNanos + endedMs * MS;
        now = ended + delayMs * MS;
        synchronized (lock) {
            dispatcher.done(worker, new Message.Done(chunk.task(),
                    values.encodeAll(new ArrayList<>(Collections.nCopies(size, 0)), "result"), failures, ranMs * MS,
                    ended + SKEW));
            dispatcher.dispatch();
        }
    }

    private void report(long firstElement, long endedMs, long ranMs, List<Message.Failure> failures) {
        report(firstElement, endedMs, ranMs, 0, failures);
    }

    private RunTimeline timeline() {
        synchronized (lock) {
            return run.timeline(roster.current(), now);
        }
    }

    private static Message.Failure thrown(long element) {
        return new Message.Failure(element, Message.FailureKind.EXCEPTION, "java.lang.IllegalStateException", "bad",
                List.of(), null);
    }

    @Test
    void aTaskQueuedBehindAnotherStartsWhereItsWorkerSaysNotWhereItWasSent() {
        queue(2, 2, 2, 2); // each worker holds two, the fewest first: 0-1 and 4-5 on worker 0, 2-3 and 6-7 on 1
        WorkerHandle first = holder(chunk(0));
        assertEquals(first, holder(chunk(4)));
        report(0, 100, 100, List.of());
        report(4, 250, 150, List.of());
        RunTimeline.Row row = timeline().rows().get(first.index);
        assertEquals(first.pid, row.pid());
        assertEquals(2, row.spans().size(), row::toString);
        RunTimeline.Span queued = row.spans().get(1);
        assertEquals(100 * MS, queued.startNanos(), "sent at 0, but started when the first ended");
        assertEquals(250 * MS, queued.endNanos());
        assertEquals(RunTimeline.Outcome.DONE, queued.outcome());
        assertEquals(250 * MS, row.busyNanos());
    }

    /** A report read 40 ms late (a busy machine) does not draw a gap between tasks that ran back to back. */
    @Test
    void aReportThatArrivesLateMovesNoSpan() {
        queue(2, 2, 2, 2);
        report(0, 100, 100, 1, List.of());
        report(4, 200, 100, 40, List.of());
        List<RunTimeline.Span> spans = timeline().rows().get(0).spans();
        assertEquals(1 * MS, spans.get(0).startNanos(), "on the kernel's clock, with the quickest transit seen");
        assertEquals(101 * MS, spans.get(0).endNanos());
        assertEquals(spans.get(0).endNanos(), spans.get(1).startNanos(), "no gap");
        assertEquals(201 * MS, spans.get(1).endNanos(), "not at its report's arrival, 240 ms");
    }

    /** A report of a worker of an older version, without times: placed from the end of the worker's last span. */
    @Test
    void aReportWithoutTimesIsPlacedOnTheKernelsClock() {
        queue(2, 2, 2, 2);
        report(0, 100, 100, List.of());
        now = run.startedNanos + 180 * MS;
        Message.RunChunk chunk = chunk(4);
        synchronized (lock) {
            dispatcher.done(holder(chunk), new Message.Done(chunk.task(),
                    values.encodeAll(new ArrayList<>(Collections.nCopies(2, 0)), "result"), List.of()));
        }
        RunTimeline.Span second = timeline().rows().get(0).spans().get(1);
        assertEquals(100 * MS, second.startNanos());
        assertEquals(180 * MS, second.endNanos());
    }

    @Test
    void aChunkWithAFailedElementIsFailedAndTheRestOfTheRunIsDoneWithAnIdleGapAfterIt() {
        queue(2, 2);
        WorkerHandle fails = holder(chunk(2));
        report(2, 50, 30, List.of(thrown(1)));
        report(0, 300, 300, List.of());
        RunTimeline timeline = timeline();
        assertTrue(timeline.finished());
        assertEquals(300 * MS, timeline.length().toNanos());
        RunTimeline.Span failed = timeline.rows().get(fails.index).spans().get(0);
        assertEquals(RunTimeline.Outcome.FAILED, failed.outcome());
        assertEquals(2, failed.firstElement());
        assertEquals(3, failed.lastElement());
        assertEquals("elements 2-3", failed.label());
        assertEquals(20 * MS, failed.startNanos());
        assertEquals(50 * MS, failed.endNanos(), "then idle for 250 ms: no span after it");
        assertEquals(1, timeline.rows().get(fails.index).spans().size());
    }

    @Test
    void aWorkerThatDiesMidChunkLeavesARetriedSpanAndItsElementsRunAgainOneByOne() {
        queue(3);
        WorkerHandle dying = holder(chunk(0));
        WorkerHandle other = workers.get(1 - dying.index);
        now = run.startedNanos + 80 * MS;
        synchronized (lock) {
            dying.ended("killed");
            dispatcher.lost(dying, TaskFailure.Kind.WORKER_DIED, "killed");
            dispatcher.dispatch();
        }
        for (long element = 0; element < 3; element++) {
            Message.RunChunk single = chunk(element);
            assertEquals(other, holder(single));
            report(element, 100 + 10 * element, 10, List.of());
        }
        RunTimeline timeline = timeline();
        RunTimeline.Span retried = timeline.rows().get(dying.index).spans().get(0);
        assertEquals(RunTimeline.Outcome.RETRIED, retried.outcome());
        assertEquals(0, retried.startNanos());
        assertEquals(80 * MS, retried.endNanos());
        assertEquals(3, retried.elements());
        List<RunTimeline.Span> again = timeline.rows().get(other.index).spans();
        assertEquals(3, again.size());
        assertTrue(again.stream().allMatch(s -> s.outcome() == RunTimeline.Outcome.DONE && s.elements() == 1));
        assertEquals(90 * MS, again.get(0).startNanos());
    }

    @Test
    void aTaskOfAnUnresponsiveWorkerIsLost() {
        queue(1);
        WorkerHandle frozen = holder(chunk(0));
        now = run.startedNanos + 5_000 * MS;
        synchronized (lock) {
            frozen.ended("silent");
            dispatcher.lost(frozen, TaskFailure.Kind.WORKER_UNRESPONSIVE, "silent for 5 s");
        }
        RunTimeline.Span lost = timeline().rows().get(frozen.index).spans().get(0);
        assertEquals(RunTimeline.Outcome.LOST, lost.outcome());
        assertEquals(5_000 * MS, lost.endNanos());
        assertTrue(timeline().finished());
    }

    @Test
    void tasksInFlightWhenARunIsCancelledAreCancelledSpans() {
        queue(2, 2);
        assertEquals(workers.get(0), holder(chunk(0)));
        synchronized (lock) {
            dispatcher.cancel(run);
        }
        report(0, 40, 40, List.of(new Message.Failure(1, Message.FailureKind.CANCELLED, null, null, List.of(), null)));
        report(2, 45, 45, List.of());
        List<RunTimeline.Outcome> outcomes = timeline().rows().stream()
                .map(r -> r.spans().get(0).outcome()).toList();
        // a task that ended before it saw the stop is done
        assertEquals(List.of(RunTimeline.Outcome.CANCELLED, RunTimeline.Outcome.DONE), outcomes);
    }

    @Test
    void aWorkerThatGetsNoTaskHasAnEmptyRow() {
        queue(1);
        report(0, 10, 10, List.of());
        RunTimeline timeline = timeline();
        assertEquals(2, timeline.rows().size());
        assertEquals(1, timeline.rows().stream().filter(r -> r.spans().isEmpty()).count());
    }
}
