package org.jparallel.internal.pool;

import org.jparallel.api.RunTimeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * What each worker did for one run, as the {@link Dispatcher} learns it: a span per task (start, end, elements,
 * outcome), a row per worker. Changed and read under the pool's lock only.
 *
 * <p><b>When a task ran.</b> The kernel knows when it sent a task and when the report came; neither says when
 * the task ran: a worker holds up to 32 tasks queued behind the one it runs, and on a busy machine a report
 * may wait tens of milliseconds to be read (a gap that placing spans by their reports drew between tasks
 * that ran back to back). So each report carries the worker's own clock: when it took the task up and when
 * it sent the report ({@code Message.Done}). A worker's spans are kept on its clock, exact relative to each
 * other, and shifted onto the kernel's by that worker's offset: the smallest difference seen between a
 * report's arrival and its sending (the clocks' difference plus the quickest transit, tens of microseconds),
 * as NTP estimates a clock from its fastest exchange. Such a span never ends after its report arrived, nor
 * starts before its task was sent. A task whose worker died, or a report of an older worker without times, is
 * placed on the kernel's clock: from when the worker could have started it (its sending, or the end of the
 * worker's last span) to the death or the report.
 *
 * <p><b>Bounded.</b> A run of a million one-element tasks would keep a million spans (about 80 MB). Past
 * {@link #MAX_SPANS}, neighbouring spans of a worker with the same outcome are merged when the gap between them
 * is under a resolution that doubles until at most half the limit is left: a merged span says how many tasks
 * and elements it covers, and gaps wider than the resolution (an idle worker) stay visible. Spans of different
 * outcomes merge only when same-outcome merging cannot get there (a run alternating done and failed elements
 * a million times), taking the rarer outcome's name (see {@link #worse}).
 */
final class SpanLog {

    /** At most this many spans are kept per run (about 1 MB); more are merged (see the class comment). */
    static final int MAX_SPANS = 10_000;
    /** The first resolution tried when merging: a microsecond. */
    private static final long FINEST_NANOS = 1_000;

    private final long startedNanos;
    private final Instant started;
    /** A row per worker that ran a task of it, in the order they first did; and by worker, as each report finds its row. */
    private final List<Row> rows = new ArrayList<>();
    private final Map<WorkerHandle, Row> rowOf = new IdentityHashMap<>();
    private List<WorkerHandle> present = List.of();
    private int spans;
    /** Spans of a worker closer than this were merged; 0 while every task has a span of its own. */
    private long mergedBelowNanos;
    private long endedNanos = -1;

    /** One worker's row: its spans in the order they ended. */
    private static final class Row {
        final WorkerHandle worker;
        final List<Span> spans = new ArrayList<>();
        long busyNanos;
        /** The end of its last span, on the kernel's clock. */
        long lastEnd;
        /** The kernel's clock minus the worker's, plus the quickest transit seen (see the class comment). */
        long offset = Long.MAX_VALUE;

        Row(WorkerHandle worker) {
            this.worker = worker;
        }

        /** A time of a span on the kernel's clock. */
        long kernelTime(Span span, long time) {
            return span.onWorkerClock ? time + offset : time;
        }

        /** Puts its spans on the kernel's clock, for merging (a later, smaller offset no longer moves them). */
        void toKernelClock() {
            for (Span s : spans) {
                if (s.onWorkerClock) {
                    s.start += offset;
                    s.end += offset;
                    s.onWorkerClock = false;
                }
            }
        }
    }

    /** A span being kept: mutable, for merging. Times are {@link System#nanoTime()}, of the worker or the kernel. */
    private static final class Span {
        long firstElement;
        long lastElement;
        long elements;
        int tasks;
        long start;
        long end;
        boolean onWorkerClock;
        RunTimeline.Outcome outcome;

        Span(Task task, long start, long end, boolean onWorkerClock, RunTimeline.Outcome outcome) {
            this.firstElement = task.run.singleCall || task.run.snippets != null ? -1 : task.firstElement;
            this.lastElement = firstElement < 0 ? -1 : firstElement + task.size - 1;
            this.elements = task.size;
            this.tasks = 1;
            this.start = start;
            this.end = end;
            this.onWorkerClock = onWorkerClock;
            this.outcome = outcome;
        }
    }

    SpanLog(long startedNanos) {
        this.startedNanos = startedNanos;
        this.started = Instant.now();
    }

    /**
     * These workers are the pool's when the run starts, so that one that never gets a task shows as an idle row.
     * Kept as a list, not as rows: thousands of open runs ({@code applyAsync}) on a large pool would otherwise
     * hold a row per worker each.
     */
    void attend(Collection<WorkerHandle> workers) {
        present = List.copyOf(workers);
    }

    /** A task of this run was reported done by {@code worker}, and ended with {@code outcome}. */
    void reported(Task task, WorkerHandle worker, RunTimeline.Outcome outcome) {
        if (task.workerEndNanos() == 0 && task.ranNanos() == 0) {
            unreported(task, worker, outcome, task.reportedAt());
            return;
        }
        Row row = row(worker);
        row.offset = Math.min(row.offset, task.reportedAt() - task.workerEndNanos());
        long end = task.workerEndNanos();
        add(row, new Span(task, end - task.ranNanos(), end, true, outcome), end + row.offset);
    }

    /**
     * A task of this run ended on {@code worker} at {@code end} (the kernel's clock) with {@code outcome}, without
     * its worker saying when it ran: from when the worker could have started it.
     */
    void unreported(Task task, WorkerHandle worker, RunTimeline.Outcome outcome, long end) {
        Row row = row(worker);
        long start = Math.min(Math.max(task.sentNanos(), row.lastEnd), end);
        add(row, new Span(task, start, end, false, outcome), end);
    }

    private void add(Row row, Span span, long kernelEnd) {
        row.spans.add(span);
        row.busyNanos += span.end - span.start;
        row.lastEnd = Math.max(row.lastEnd, kernelEnd);
        if (++spans > MAX_SPANS) {
            compact();
        }
    }

    /** The run finished at {@code now}. */
    void ended(long now) {
        endedNanos = now;
    }

    private Row row(WorkerHandle worker) {
        return rowOf.computeIfAbsent(worker, w -> {
            Row row = new Row(w);
            rows.add(row);
            return row;
        });
    }

    /**
     * Merges spans until at most half of {@link #MAX_SPANS} are left (see the class comment): first spans of
     * one outcome, at the resolution reached so far and coarser, up to the run's length; then of any.
     */
    private void compact() {
        long horizon = 1;
        for (Row row : rows) {
            horizon = Math.max(horizon, row.lastEnd - startedNanos);
        }
        for (boolean mixed : new boolean[]{false, true}) {
            long resolution = mixed ? FINEST_NANOS : Math.max(FINEST_NANOS, mergedBelowNanos);
            while (true) {
                mergeWithin(resolution, mixed);
                mergedBelowNanos = Math.max(mergedBelowNanos, resolution);
                if (spans <= MAX_SPANS / 2) {
                    return;
                }
                if (resolution > horizon) {
                    break;
                }
                resolution *= 2;
            }
        }
    }

    /** Merges each row's neighbouring spans less than {@code gap} apart: of one outcome, or of any if {@code mixed}. */
    private void mergeWithin(long gap, boolean mixed) {
        for (Row row : rows) {
            row.toKernelClock();
            row.spans.sort(Comparator.comparingLong(s -> s.start));
            List<Span> merged = new ArrayList<>(row.spans.size());
            Span last = null;
            for (Span s : row.spans) {
                if (last != null && s.start - last.end <= gap && (mixed || s.outcome == last.outcome)) {
                    last.firstElement = Math.min(last.firstElement, s.firstElement);
                    last.lastElement = Math.max(last.lastElement, s.lastElement);
                    last.elements += s.elements;
                    last.tasks += s.tasks;
                    last.end = Math.max(last.end, s.end);
                    last.outcome = worse(last.outcome, s.outcome);
                    spans--;
                } else {
                    merged.add(s);
                    last = s;
                }
            }
            row.spans.clear();
            row.spans.addAll(merged);
        }
    }

    /** The outcome a mixed span is named by: the one a user must not miss (failed, lost, retried, cancelled, done). */
    static RunTimeline.Outcome worse(RunTimeline.Outcome a, RunTimeline.Outcome b) {
        return rank(a) >= rank(b) ? a : b;
    }

    private static int rank(RunTimeline.Outcome outcome) {
        return switch (outcome) {
            case DONE -> 0;
            case CANCELLED -> 1;
            case RETRIED -> 2;
            case LOST -> 3;
            case FAILED -> 4;
        };
    }

    /** Adds an empty row for each of {@code workers} that has none. */
    private static void addIdle(List<Row> shown, Collection<WorkerHandle> workers) {
        for (WorkerHandle worker : workers) {
            if (shown.stream().noneMatch(r -> r.worker == worker)) {
                shown.add(new Row(worker));
            }
        }
    }

    /**
     * The timeline so far, at {@code now}: a row per worker that ran a task of it or was the pool's when it
     * started, and, while it lasts, per worker in {@code current}; rows in worker order (a worker and its
     * replacement under one number: the one that worked first, first).
     */
    RunTimeline snapshot(Collection<WorkerHandle> current, long now) {
        long end = endedNanos >= 0 ? endedNanos : now;
        List<Row> ordered = new ArrayList<>(rows);
        addIdle(ordered, present);
        if (endedNanos < 0) {
            addIdle(ordered, current);
        }
        List<RunTimeline.Row> out = new ArrayList<>(ordered.size());
        ordered.sort(Comparator.comparingInt(r -> r.worker.index)); // stable: a replacement comes after
        for (Row row : ordered) {
            List<RunTimeline.Span> spansOut = new ArrayList<>(row.spans.size());
            for (Span s : row.spans) {
                long start = Math.max(0, row.kernelTime(s, s.start) - startedNanos);
                long spanEnd = Math.max(start, row.kernelTime(s, s.end) - startedNanos);
                spansOut.add(new RunTimeline.Span(s.firstElement, s.lastElement, s.elements, s.tasks, start, spanEnd,
                        s.outcome));
            }
            spansOut.sort(Comparator.comparingLong(RunTimeline.Span::startNanos));
            out.add(new RunTimeline.Row(row.worker.index, row.worker.pid, row.busyNanos, spansOut));
        }
        return new RunTimeline(started, Math.max(0, end - startedNanos), endedNanos >= 0, mergedBelowNanos, out);
    }
}
