package org.jparallel.api;

import org.jparallel.internal.codec.ChromeTrace;
import org.jparallel.internal.pool.TimelineSvg;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * What each worker did during a {@link PoolRun}, from {@link PoolRun#timeline()}: a row per worker (its number
 * and PID) holding a span per task it ran — a chunk of elements, a call, or a {@code %%parallel} cell — with
 * when it started and ended on the worker and how it ended. The time between spans is the worker's idle time.
 * A snapshot: immutable, and a run still going gives the spans ended so far.
 *
 * <pre>{@code
 * PoolRun<Double> run = pool.submit(x -> simulate(x), seeds, RunOptions.defaults());
 * run.get();
 * RunTimeline timeline = run.timeline();
 * Files.writeString(Path.of("run.svg"), timeline.toSvg());   // a Gantt chart; a notebook shows it as is
 * timeline.writeChromeTrace(Path.of("run.trace.json"));        // open in https://ui.perfetto.dev
 * }</pre>
 *
 * <p>What Ray's {@code ray.timeline()} exports (Chrome trace events), and Dask's task stream plot shows: which
 * worker ran what when, so a straggler, an idle worker or a chunk size too large or too small is seen at a
 * glance. Python's {@code multiprocessing} has no such view.
 *
 * <p><b>Times</b> are measured on the workers (how long each spent on a task) and placed on the kernel's clock
 * when the task's report arrived, in nanoseconds from the run's start. <b>Bounded:</b> a run of more tasks
 * than a few thousand keeps merged spans (neighbours on one worker with one outcome, less than
 * {@link #mergedBelow()} apart, become one span covering their tasks), so a million tasks cost no more memory
 * than ten thousand.
 */
public final class RunTimeline {

    /** How a span ended. */
    public enum Outcome {
        /** Every element of it returned (in a cancelled run too, if it ended before the stop). */
        DONE,
        /** At least one element threw or could not be sent back. */
        FAILED,
        /** Stopped by {@link PoolRun#cancel()}, a timeout or fail-fast, or by the pool's termination. */
        CANCELLED,
        /** Its worker died while running it; its elements were run again, on other workers (later spans). */
        RETRIED,
        /** Its worker died or stopped answering while running it, and it was not run again: its elements failed. */
        LOST
    }

    /**
     * What a worker did from {@code startNanos} to {@code endNanos} (from the run's start): {@code tasks} tasks
     * (one unless spans were merged) of {@code elements} elements, numbered from {@code firstElement} to
     * {@code lastElement} in the run's input (not all of them in between if spans were merged; both -1 for a
     * single call or a {@code %%parallel} cell, which are no elements of an input).
     */
    public record Span(long firstElement, long lastElement, long elements, int tasks, long startNanos, long endNanos,
                       Outcome outcome) {

        /** How long it lasted. */
        public Duration duration() {
            return Duration.ofNanos(endNanos - startNanos);
        }

        /**
         * Which elements it covered, in words: "element 7", "elements 0-124", "250 of elements 3-997" (merged
         * spans), "the task" (a call or a cell).
         */
        public String label() {
            if (firstElement < 0) {
                return tasks == 1 ? "the task" : tasks + " tasks";
            }
            String range = firstElement == lastElement ? "element " + firstElement
                    : "elements " + firstElement + "-" + lastElement;
            return lastElement - firstElement + 1 == elements ? range : elements + " of " + range;
        }
    }

    /**
     * A worker's row: its number in the pool, its PID, how long it was busy for the run, and its spans by start
     * time. A worker that died and its replacement have a row each, under the same number.
     */
    public record Row(int worker, long pid, long busyNanos, List<Span> spans) {
        public Row {
            spans = List.copyOf(spans);
        }
    }

    private final Instant started;
    private final long lengthNanos;
    private final boolean finished;
    private final long mergedBelowNanos;
    private final List<Row> rows;

    /**
     * A timeline; made by a run, or by a test.
     *
     * @param started          when the run started
     * @param lengthNanos      how long it ran (until now if it is still running)
     * @param finished         whether it has finished
     * @param mergedBelowNanos neighbouring spans closer than this were merged; 0 if none were
     * @param rows             a row per worker
     */
    public RunTimeline(Instant started, long lengthNanos, boolean finished, long mergedBelowNanos, List<Row> rows) {
        this.started = started;
        this.lengthNanos = lengthNanos;
        this.finished = finished;
        this.mergedBelowNanos = mergedBelowNanos;
        this.rows = List.copyOf(rows);
    }

    /** When the run started. */
    public Instant started() {
        return started;
    }

    /** How long it ran: until it finished, or until this snapshot. */
    public Duration length() {
        return Duration.ofNanos(lengthNanos);
    }

    /** Whether the run had finished when this snapshot was taken. */
    public boolean finished() {
        return finished;
    }

    /** Spans of one worker and outcome closer than this were merged into one; zero if every task has its own. */
    public Duration mergedBelow() {
        return Duration.ofNanos(mergedBelowNanos);
    }

    /** A row per worker, by worker number. */
    public List<Row> rows() {
        return rows;
    }

    /**
     * A Gantt chart of it as a self-contained SVG document: a row per worker labelled with its number, PID and
     * how busy it was; a bar per span coloured by outcome, with a tooltip naming its elements and duration; a
     * legend, and a time axis in seconds. The grey between bars is idle time.
     */
    public String toSvg() {
        return TimelineSvg.render(this);
    }

    /**
     * It in the Chrome trace event format (JSON) that Perfetto (https://ui.perfetto.dev), {@code chrome://tracing}
     * and Ray's {@code ray.timeline} use: a complete event ({@code "ph": "X"}) per span, in microseconds from the
     * run's start; a thread per worker (tid: its row, named "worker N (pid P)") in one process named for the run.
     */
    public String toChromeTrace() {
        return ChromeTrace.of(this);
    }

    /** Writes {@link #toChromeTrace()} to {@code file} (replacing it), readable by its owner only. */
    public void writeChromeTrace(Path file) throws IOException {
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".trace", ".json");
        try {
            Files.writeString(tmp, toChromeTrace(), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** A line per worker: its number, PID, spans and how busy it was. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "RunTimeline[%.3f s, %d workers%s]",
                lengthNanos / 1e9, rows.size(), finished ? "" : ", running"));
        for (Row row : rows) {
            long failed = row.spans().stream().filter(x -> x.outcome() != Outcome.DONE).count();
            s.append(String.format(Locale.ROOT, "%n  worker %d (pid %d): %d spans%s, busy %.3f s (%.0f%%)",
                    row.worker(), row.pid(), row.spans().size(), failed == 0 ? "" : " (" + failed + " not done)",
                    row.busyNanos() / 1e9, lengthNanos == 0 ? 0.0 : 100.0 * row.busyNanos() / lengthNanos));
        }
        return s.toString();
    }
}
