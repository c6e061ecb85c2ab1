package org.jparallel.internal.pool;

import org.jparallel.api.RunTimeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * What each worker did for one run, as the {@link Dispatcher} learns it: a span per task (start, end, elements,
 * outcome), a row per worker. Changed and read under the pool's lock only.
 *
 * <p><b>When a task ran.</b> The kernel knows when it sent a task and when the report came; a worker holds up to
 * 32 tasks queued behind the one it runs, so the sending says little. The worker measures how long it spent on
 * the task ({@code Message.Done#ranNanos}), and the span is placed to end at the report and to last that long
 * (never before the sending). A task whose worker died has no report: it is placed from when the worker could
 * have started it (its sending, or the end of the worker's last span) to the death.
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
    private final List<Row> rows = new ArrayList<>();
    private int spans;
    /** Spans of a worker closer than this were merged; 0 while every task has a span of its own. */
    private long mergedBelowNanos;
    private long endedNanos = -1;

    /** One worker's row: its spans in the order they ended. */
    private static final class Row {
        final WorkerHandle worker;
        final List<Span> spans = new ArrayList<>();
        long busyNanos;
        long lastEnd;

        Row(WorkerHandle worker) {
            this.worker = worker;
        }
    }

    /** A span being kept: mutable, for merging. Times are {@link System#nanoTime()}. */
    private static final class Span {
        long firstElement;
        long lastElement;
        long elements;
        int tasks;
        long start;
        long end;
        RunTimeline.Outcome outcome;

        Span(long firstElement, long lastElement, long elements, long start, long end, RunTimeline.Outcome outcome) {
            this.firstElement = firstElement;
            this.lastElement = lastElement;
            this.elements = elements;
            this.tasks = 1;
            this.start = start;
            this.end = end;
            this.outcome = outcome;
        }
    }

    SpanLog(long startedNanos) {
        this.startedNanos = startedNanos;
        this.started = Instant.now();
    }

    /** These workers take part from the start, so that one that never gets a task shows as an idle row. */
    void attend(Collection<WorkerHandle> workers) {
        workers.forEach(this::row);
    }

    /**
     * A task of this run ended on {@code worker} at {@code end} with {@code outcome}: it ran from
     * {@code ranFrom}, or, if 0 (not measured), from when the worker could have started it.
     */
    void ran(Task task, WorkerHandle worker, RunTimeline.Outcome outcome, long ranFrom, long end) {
        Row row = row(worker);
        long start = Math.max(task.sentNanos(), ranFrom > 0 ? ranFrom : row.lastEnd);
        if (row.lastEnd <= end) {
            // a worker runs one task at a time: a report that took longer to arrive than the next one's must
            // not make them overlap (unless results decoded out of order brought a later task in first)
            start = Math.max(start, row.lastEnd);
        }
        start = Math.max(startedNanos, Math.min(start, end));
        long element = task.run.singleCall || task.run.snippets != null ? -1 : task.firstElement;
        row.spans.add(new Span(element, element < 0 ? -1 : element + task.size - 1, task.size, start, end, outcome));
        row.busyNanos += end - start;
        row.lastEnd = Math.max(row.lastEnd, end);
        if (++spans > MAX_SPANS) {
            compact();
        }
    }

    /** The run finished at {@code now}. */
    void ended(long now) {
        endedNanos = now;
    }

    private Row row(WorkerHandle worker) {
        for (Row row : rows) {
            if (row.worker == worker) {
                return row;
            }
        }
        Row row = new Row(worker);
        rows.add(row);
        return row;
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

    /**
     * The timeline so far, at {@code now}: a row per worker that took part, and per worker in {@code current}
     * while the run lasts; rows in worker order (a worker and its replacement under one number: by start).
     */
    RunTimeline snapshot(Collection<WorkerHandle> current, long now) {
        if (endedNanos < 0) {
            attend(current);
        }
        long end = endedNanos >= 0 ? endedNanos : now;
        List<RunTimeline.Row> out = new ArrayList<>(rows.size());
        List<Row> ordered = new ArrayList<>(rows);
        ordered.sort(Comparator.comparingInt(r -> r.worker.index)); // stable: a replacement comes after
        for (Row row : ordered) {
            List<RunTimeline.Span> spansOut = new ArrayList<>(row.spans.size());
            for (Span s : row.spans) {
                spansOut.add(new RunTimeline.Span(s.firstElement, s.lastElement, s.elements, s.tasks,
                        s.start - startedNanos, s.end - startedNanos, s.outcome));
            }
            spansOut.sort(Comparator.comparingLong(RunTimeline.Span::startNanos));
            out.add(new RunTimeline.Row(row.worker.index, row.worker.pid, row.busyNanos, spansOut));
        }
        return new RunTimeline(started, Math.max(0, end - startedNanos), endedNanos >= 0, mergedBelowNanos, out);
    }
}
