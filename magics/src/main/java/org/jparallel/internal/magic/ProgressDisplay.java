package org.jparallel.internal.magic;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.jparallel.api.PoolRun;
import org.jparallel.api.RunProgress;
import org.jparallel.api.TaskFailure;
import org.jparallel.notebook.Notebook;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The live progress of a parallel cell: one display, updated in place, with a bar (done/total, rate,
 * ETA), a row per worker (PID, state, elements done, how long its current task has run, or how long it
 * has not answered) and the first failures as they happen — HTML for notebooks, plain text for text
 * front ends. It is fed by its run's {@link PoolRun#onProgress} every {@value #TICK_MS} ms, a fresh
 * snapshot each time, so count, times and ETA move while the run lasts, and a worker that stopped answering
 * shows; the final state stays in the notebook.
 *
 * <p>The display first appears 0.3 s into the run, so a run that ends sooner shows only its final
 * state: a text front end such as {@code jupyter console} prints a display when it appears and
 * ignores later updates, and a first snapshot would read "0 done". A display of a {@code WorkerPool} call
 * made by notebook code ({@link #observe}) shows only if the call lasts that long.
 */
final class ProgressDisplay {

    /** How often the run's snapshot is taken and, when it changed or time moved, shown. */
    private static final long TICK_MS = 250;
    private static final Duration FIRST_SHOW = Duration.ofMillis(300);
    /** How many failures the display lists; the rest are counted. */
    private static final int FAILURES_SHOWN = 3;

    private final String title;
    private final boolean enabled;
    /** Whether it shows itself only if the run lasts, and closes itself when it ends (a {@code WorkerPool} call). */
    private final boolean closesItself;
    private final List<TaskFailure> failures = new ArrayList<>();
    private long failuresNotShown;
    private long failuresSeen;
    private PoolRun<?> run;
    private String displayId;
    private RunProgress last;
    private boolean closed;

    ProgressDisplay(String title, boolean enabled) {
        this(title, enabled, false);
    }

    private ProgressDisplay(String title, boolean enabled, boolean closesItself) {
        this.title = title;
        this.enabled = enabled;
        this.closesItself = closesItself;
    }

    /**
     * Shows the progress of a {@code WorkerPool} call made by notebook code, if it lasts more than a moment
     * (the extension's {@code RunObserver}); the display closes itself when the run ends.
     */
    static void observe(PoolRun<?> run, String call) {
        new ProgressDisplay(call, true, true).follow(run);
    }

    /** Follows {@code run}: its snapshots are shown from now on. */
    void follow(PoolRun<?> run) {
        synchronized (this) {
            this.run = run;
        }
        run.onProgress(Duration.ofMillis(TICK_MS), snapshot -> progress(snapshot, run.failures()));
    }

    /**
     * A snapshot of the run, with its failures so far: kept, and shown once the run has lasted 0.3 s (or
     * closed, if this display closes itself and the run is over).
     */
    synchronized void progress(RunProgress progress, List<TaskFailure> failuresSoFar) {
        if (closed) {
            return;
        }
        last = progress;
        if (failuresSoFar.size() != failuresSeen) {
            failuresSeen = failuresSoFar.size();
            failures.clear();
            failuresNotShown = 0;
            for (TaskFailure failure : failuresSoFar) {
                if (failure.kind() == TaskFailure.Kind.CANCELLED) {
                    continue;
                }
                if (failures.size() < FAILURES_SHOWN) {
                    failures.add(failure);
                } else {
                    failuresNotShown++;
                }
            }
        }
        if (!enabled) {
            return;
        }
        if (progress.finished() && closesItself) {
            closed = true;
            if (displayId != null) {
                show(true, progress.failed() > 0 ? "failed" : progress.cancelled() > 0 ? "cancelled" : "done");
            }
            return;
        }
        if (displayId != null || progress.elapsed().compareTo(FIRST_SHOW) >= 0) {
            show(false, null);
        }
    }

    /** Ends a run that failed before it got going: the display, if it was shown yet, says how it ended. */
    synchronized void abandon(String outcome) {
        closed = true;
        if (enabled && displayId != null) {
            show(true, outcome);
        }
    }

    /** Shows the final state; called once the run is over. */
    void close(String outcome) {
        PoolRun<?> followed;
        synchronized (this) {
            followed = run;
        }
        if (followed != null) {
            progress(followed.progress(), followed.failures());
        }
        synchronized (this) {
            closed = true;
            if (enabled && last != null) {
                show(true, outcome);
            }
        }
    }

    private void show(boolean fin, String outcome) {
        DisplayData data = new DisplayData(text(fin, outcome));
        data.putHTML(html(fin, outcome));
        if (displayId == null) {
            displayId = Notebook.display(data);
        } else {
            Notebook.updateDisplay(displayId, data);
        }
    }

    private String headline(boolean fin, String outcome) {
        RunProgress p = last;
        long total = p.total();
        double seconds = p.elapsed().toNanos() / 1e9;
        StringBuilder s = new StringBuilder(title).append(": ").append(p.done());
        s.append(total >= 0 ? "/" + total : "");
        if (p.failed() > 0) {
            s.append(" (").append(p.failed()).append(" failed)");
        }
        if (p.cancelled() > 0) {
            s.append(" (").append(p.cancelled()).append(" cancelled)");
        }
        s.append(String.format(Locale.ROOT, " · %.1f s · %s/s", seconds, human(p.rate())));
        if (!fin && p.eta() != null && !p.eta().isZero()) {
            s.append(String.format(Locale.ROOT, " · ETA %.1f s", p.eta().toNanos() / 1e9));
        }
        if (outcome != null) {
            s.append(" · ").append(outcome);
        }
        return s.toString();
    }

    private static String human(double rate) {
        return rate >= 1000 ? String.format(Locale.ROOT, "%.0f", rate) : String.format(Locale.ROOT, "%.1f", rate);
    }

    private double fraction() {
        long total = last.total();
        return total > 0 ? Math.min(1.0, (last.done() + last.cancelled()) / (double) total) : 0;
    }

    /** The display as plain text. */
    synchronized String text(boolean fin, String outcome) {
        StringBuilder s = new StringBuilder();
        int filled = (int) Math.round(fraction() * 30);
        s.append('[').append("#".repeat(filled)).append(".".repeat(30 - filled)).append("] ");
        s.append(headline(fin, outcome));
        for (RunProgress.Worker w : last.workers()) {
            s.append(String.format(Locale.ROOT, "%n  worker %d  pid %-7d %-8s %d done", w.index(), w.pid(),
                    state(w), w.done()));
            String how = how(w, fin);
            if (!how.isEmpty()) {
                s.append(" · ").append(how);
            }
        }
        for (String line : failureLines()) {
            s.append(String.format(Locale.ROOT, "%n  ")).append(line);
        }
        return s.toString();
    }

    private String html(boolean fin, String outcome) {
        // data-jparallel-progress="done/total" ("?": total unknown) is the hook test/browser reads
        StringBuilder s = new StringBuilder("<div class=\"jparallel-progress\" data-jparallel-progress=\"")
                .append(last.done()).append('/').append(last.total() >= 0 ? last.total() : "?").append("\">");
        s.append(String.format(Locale.ROOT, "<progress value=\"%.3f\" max=\"1\" style=\"width:24em\"></progress> ", fraction()));
        s.append("<span>").append(escape(headline(fin, outcome))).append("</span>");
        s.append("<table><tr><th>worker</th><th>PID</th><th>state</th><th>done</th><th></th></tr>");
        for (RunProgress.Worker w : last.workers()) {
            s.append("<tr><td>").append(w.index()).append("</td><td>").append(w.pid()).append("</td><td>")
                    .append(state(w)).append("</td><td>")
                    .append(w.done()).append("</td><td>")
                    .append(escape(how(w, fin))).append("</td></tr>");
        }
        s.append("</table>");
        for (String line : failureLines()) {
            s.append("<div style=\"color:#b00\">").append(escape(line)).append("</div>");
        }
        return s.append("</div>").toString();
    }

    private static String state(RunProgress.Worker w) {
        return w.state().name().toLowerCase(Locale.ROOT);
    }

    /**
     * What a worker is doing, while the run lasts: how long it has not answered (see {@code Liveness}), or how
     * long its current task has run — a task busy in native code still answers, and shows only as long.
     */
    private static String how(RunProgress.Worker w, boolean fin) {
        if (fin || w.state() == RunProgress.State.DEAD) {
            return "";
        }
        if (!w.silentFor().isZero()) {
            return String.format(Locale.ROOT, "not answering for %.1f s", w.silentFor().toNanos() / 1e9);
        }
        if (!w.runningFor().isZero()) {
            return String.format(Locale.ROOT, "task running for %.1f s", w.runningFor().toNanos() / 1e9);
        }
        return "";
    }

    private List<String> failureLines() {
        List<String> lines = new ArrayList<>();
        for (TaskFailure f : failures) {
            String summary = f.summary();
            lines.add("failed: " + (summary.length() <= 200 ? summary : summary.substring(0, 197) + "..."));
        }
        if (failuresNotShown > 0) {
            lines.add("… " + failuresNotShown + " more failed");
        }
        return lines;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
