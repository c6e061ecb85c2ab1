package org.jparallel.internal.magic;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A {@link ProgressView} as plain text: one line with a bar and the headline, for a text front end to
 * redraw in place ({@code \r}, as tqdm does), and a block with a row per worker and the first failures,
 * for the final state and for the {@code text/plain} of the HTML display. Pure functions.
 *
 * <p>The bar tells outcomes apart by character as well as by count: {@code #} done, {@code x} failed,
 * {@code -} cancelled, {@code .} still to do.
 */
final class ProgressText {

    static final int BAR_WIDTH = 20;

    private ProgressText() {
    }

    /**
     * The headline: {@code %%parallel --map x:xs: 13/100 (2 failed, 1 retried) · 0.8 s · 16.1/s · ETA 5.4 s · running}.
     */
    static String headline(ProgressView v) {
        return v.title() + ": " + status(v);
    }

    /** The headline without the title: {@code 13/100 (2 failed) · 0.8 s · 16.1/s · ETA 5.4 s · running}. */
    static String status(ProgressView v) {
        StringBuilder s = new StringBuilder();
        if (v.state() == ProgressView.State.STARTING) {
            s.append(v.note() != null ? v.note() : "starting");
            return s.toString();
        }
        s.append(v.finished()).append('/').append(v.total() >= 0 ? Long.toString(v.total()) : "?");
        List<String> besides = new ArrayList<>();
        if (v.failed() > 0) {
            besides.add(v.failed() + " failed");
        }
        if (v.cancelled() > 0) {
            besides.add(v.cancelled() + " cancelled");
        }
        if (v.retried() > 0) {
            besides.add(v.retried() + " retried");
        }
        if (!besides.isEmpty()) {
            s.append(" (").append(String.join(", ", besides)).append(')');
        }
        s.append(String.format(Locale.ROOT, " · %s · %s/s", seconds(v.elapsedSeconds()), rate(v.rate())));
        if (!v.state().over() && v.etaSeconds() >= 0) {
            s.append(" · ETA ").append(seconds(v.etaSeconds()));
        }
        return s.append(" · ").append(v.state().word).toString();
    }

    /**
     * One line, for a terminal to redraw in place: the bar and the status, without the title (the cell is
     * just above), so that it fits in 80 columns: {@code [#####.....] 13/100 · 0.8 s · 16.1/s · ETA 5.4 s · running}.
     */
    static String line(ProgressView v) {
        return bar(v) + ' ' + status(v);
    }

    /** The bar and the headline, a row per worker and the first failures, on lines of their own. */
    static String block(ProgressView v) {
        StringBuilder s = new StringBuilder(bar(v)).append(' ').append(headline(v));
        if (v.note() != null && v.state() != ProgressView.State.STARTING) {
            s.append("\n  ").append(v.note());
        }
        for (ProgressView.Row w : v.workers()) {
            s.append(String.format(Locale.ROOT, "%n  worker %d  pid %-7d %-13s %s", w.index(), w.pid(),
                    w.condition().word, counts(w)));
            String how = activity(w, v.state());
            if (!how.isEmpty()) {
                s.append(" · ").append(how);
            }
        }
        for (String line : failureLines(v)) {
            s.append("\n  ").append(line);
        }
        return s.toString();
    }

    /**
     * {@code 12 done, 1 failed, 3 cancelled, 2 retried}: the counts that are not 0, done always. Retried elements
     * were on this worker when it died and were run again on another.
     */
    static String counts(ProgressView.Row w) {
        StringBuilder s = new StringBuilder().append(w.done()).append(" done");
        if (w.failed() > 0) {
            s.append(", ").append(w.failed()).append(" failed");
        }
        if (w.cancelled() > 0) {
            s.append(", ").append(w.cancelled()).append(" cancelled");
        }
        if (w.retried() > 0) {
            s.append(", ").append(w.retried()).append(" retried");
        }
        return s.toString();
    }

    /**
     * What a worker is doing while the run lasts: how long it has not answered, or how long its current task
     * has run (a task busy in native code still answers, and shows only as long). Nothing once the run is over.
     */
    static String activity(ProgressView.Row w, ProgressView.State state) {
        if (state.over() || w.condition() == ProgressView.WorkerCondition.DEAD) {
            return "";
        }
        if (w.silentForSeconds() >= 0) {
            return "not answering for " + seconds(w.silentForSeconds());
        }
        if (w.runningForSeconds() >= 0) {
            return "task running for " + seconds(w.runningForSeconds());
        }
        return "";
    }

    /** The first failures, and how many more there were. */
    static List<String> failureLines(ProgressView v) {
        List<String> lines = new ArrayList<>();
        for (String f : v.failures()) {
            lines.add("failed: " + (f.length() <= 200 ? f : f.substring(0, 197) + "..."));
        }
        if (v.failuresNotShown() > 0) {
            lines.add("… " + v.failuresNotShown() + " more failed");
        }
        return lines;
    }

    private static String bar(ProgressView v) {
        if (v.total() <= 0) {
            return "[" + ".".repeat(BAR_WIDTH) + "]";
        }
        int done = cells(v.done(), v.total());
        int failed = cells(v.done() + v.failed(), v.total()) - done;
        int cancelled = cells(v.finished(), v.total()) - done - failed;
        return "[" + "#".repeat(done) + "x".repeat(failed) + "-".repeat(cancelled)
                + ".".repeat(BAR_WIDTH - done - failed - cancelled) + "]";
    }

    private static int cells(long count, long total) {
        return (int) Math.round(Math.min(1.0, count / (double) total) * BAR_WIDTH);
    }

    static String seconds(double seconds) {
        return String.format(Locale.ROOT, "%.1f s", seconds);
    }

    private static String rate(double rate) {
        return rate >= 1000 ? String.format(Locale.ROOT, "%.0f", rate) : String.format(Locale.ROOT, "%.1f", rate);
    }
}
