package org.jparallel.internal.magic;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.jparallel.api.TaskFailure;
import org.jparallel.internal.pool.RunListener;
import org.jparallel.internal.pool.RunProgress;
import org.jparallel.internal.pool.WorkerState;
import org.jparallel.internal.wire.ServiceThreads;
import org.jparallel.notebook.Notebook;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The live progress of a parallel cell: one display, updated in place, with a bar (done/total, rate,
 * ETA), a row per worker (PID, state, elements done, how long its current task has run, or how long it
 * has not answered) and the first failures as they happen — HTML for notebooks, plain text for text
 * front ends. Updates are throttled to a few per second, and the display is redrawn every second while
 * the run lasts, so times move and a worker that stopped answering shows; the final state stays in the
 * notebook. Everything else a run reports is passed on to {@code inner}.
 *
 * <p>The display first appears 0.3 s into the run, so a run that ends sooner shows only its final
 * state: a text front end such as {@code jupyter console} prints a display when it appears and
 * ignores later updates, and a first snapshot would read "0 done".
 */
final class ProgressDisplay implements RunListener {

    private static final long MIN_INTERVAL_NANOS = 250_000_000L;
    private static final long FIRST_SHOW_NANOS = 300_000_000L;
    private static final long REDRAW_MS = 1000;
    /** How many failures the display lists; the rest are counted. */
    private static final int FAILURES_SHOWN = 3;
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(
            body -> ServiceThreads.daemon(body, "jparallel-progress"));

    private final RunListener inner;
    private final String title;
    private final boolean enabled;
    private final Map<Integer, RunProgress.WorkerProgress> workers = new TreeMap<>();
    private final Map<Integer, Long> doneByWorker = new TreeMap<>();
    private final List<TaskFailure> failures = new ArrayList<>();
    private long failuresNotShown;
    private ScheduledFuture<?> redraw;
    private String displayId;
    private RunProgress last;
    private long lastShown;
    private boolean firstShowScheduled;
    private boolean closed;

    ProgressDisplay(RunListener inner, String title, boolean enabled) {
        this.inner = inner;
        this.title = title;
        this.enabled = enabled;
    }

    @Override
    public void results(long first, List<Object> values, int worker) {
        doneByWorker.merge(worker, (long) values.size(), Long::sum);
        inner.results(first, values, worker);
    }

    @Override
    public void failure(TaskFailure failure) {
        synchronized (this) {
            doneByWorker.merge(failure.worker(), 1L, Long::sum);
            if (failure.kind() != TaskFailure.Kind.CANCELLED) {
                if (failures.size() < FAILURES_SHOWN) {
                    failures.add(failure);
                } else {
                    failuresNotShown++;
                }
            }
        }
        inner.failure(failure);
    }

    @Override
    public void output(int worker, long pid, boolean error, String text) {
        inner.output(worker, pid, error, text);
    }

    @Override
    public synchronized void progress(RunProgress progress) {
        last = progress;
        for (RunProgress.WorkerProgress w : progress.workers()) {
            workers.put(w.index(), w);
        }
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        if (displayId == null) {
            long wait = progress.startedNanos() + FIRST_SHOW_NANOS - now;
            if (wait > 0) {
                if (!firstShowScheduled) {
                    firstShowScheduled = true;
                    TIMER.schedule(this::showFirst, wait, TimeUnit.NANOSECONDS);
                }
                return;
            }
        }
        if (now - lastShown >= MIN_INTERVAL_NANOS) {
            lastShown = now;
            show(false);
        }
    }

    private synchronized void showFirst() {
        if (!closed && displayId == null) {
            lastShown = System.nanoTime();
            show(false);
        }
    }

    /** Every second while the run lasts: times move, and updates the throttle skipped are shown. */
    private synchronized void redraw() {
        if (!closed && displayId != null) {
            lastShown = System.nanoTime();
            show(false);
        }
    }

    private void stopRedrawing() {
        closed = true;
        if (redraw != null) {
            redraw.cancel(false);
        }
    }

    @Override
    public void stopped(RuntimeException why) {
        inner.stopped(why);
    }

    @Override
    public void finished() {
        inner.finished();
    }

    /** Ends a run that failed before it got going: the display, if it was shown yet, says how it ended. */
    synchronized void abandon(String outcome) {
        stopRedrawing();
        if (enabled && displayId != null) {
            show(true, outcome);
        }
    }

    /** Shows the final state; called once the run is over. */
    synchronized void close(String outcome) {
        stopRedrawing();
        if (enabled && last != null) {
            show(true, outcome);
        }
    }

    private void show(boolean fin) {
        show(fin, null);
    }

    private void show(boolean fin, String outcome) {
        DisplayData data = new DisplayData(text(fin, outcome));
        data.putHTML(html(fin, outcome));
        if (displayId == null) {
            displayId = Notebook.display(data);
            if (!fin) {
                redraw = TIMER.scheduleWithFixedDelay(this::redraw, REDRAW_MS, REDRAW_MS, TimeUnit.MILLISECONDS);
            }
        } else {
            Notebook.updateDisplay(displayId, data);
        }
    }

    private String headline(boolean fin, String outcome) {
        RunProgress p = last;
        long total = p.total();
        long done = p.done() + p.failed();
        double seconds = (System.nanoTime() - p.startedNanos()) / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        StringBuilder s = new StringBuilder(title).append(": ").append(done);
        s.append(total >= 0 ? "/" + total : "");
        if (p.failed() > 0) {
            s.append(" (").append(p.failed()).append(" failed)");
        }
        s.append(String.format(Locale.ROOT, " · %.1f s · %s/s", seconds, human(rate)));
        if (!fin && total > 0 && rate > 0 && done < total) {
            s.append(String.format(Locale.ROOT, " · ETA %.1f s", (total - done) / rate));
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
        return total > 0 ? Math.min(1.0, (last.done() + last.failed()) / (double) total) : 0;
    }

    /** The display as plain text. */
    synchronized String text(boolean fin, String outcome) {
        StringBuilder s = new StringBuilder();
        int filled = (int) Math.round(fraction() * 30);
        s.append('[').append("#".repeat(filled)).append(".".repeat(30 - filled)).append("] ");
        s.append(headline(fin, outcome));
        long now = System.nanoTime();
        for (RunProgress.WorkerProgress w : workers.values()) {
            s.append(String.format(Locale.ROOT, "%n  worker %d  pid %-7d %-8s %d done", w.index(), w.pid(),
                    state(w), doneByWorker.getOrDefault(w.index(), 0L)));
            String how = how(w, fin, now);
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
        StringBuilder s = new StringBuilder("<div class=\"jparallel-progress\">");
        s.append(String.format(Locale.ROOT, "<progress value=\"%.3f\" max=\"1\" style=\"width:24em\"></progress> ", fraction()));
        s.append("<span>").append(escape(headline(fin, outcome))).append("</span>");
        s.append("<table><tr><th>worker</th><th>PID</th><th>state</th><th>done</th><th></th></tr>");
        long now = System.nanoTime();
        for (RunProgress.WorkerProgress w : workers.values()) {
            s.append("<tr><td>").append(w.index()).append("</td><td>").append(w.pid()).append("</td><td>")
                    .append(state(w)).append("</td><td>")
                    .append(doneByWorker.getOrDefault(w.index(), 0L)).append("</td><td>")
                    .append(escape(how(w, fin, now))).append("</td></tr>");
        }
        s.append("</table>");
        for (String line : failureLines()) {
            s.append("<div style=\"color:#b00\">").append(escape(line)).append("</div>");
        }
        return s.append("</div>").toString();
    }

    private static String state(RunProgress.WorkerProgress w) {
        return w.silentSinceNanos() != 0 ? "silent" : w.state().name().toLowerCase(Locale.ROOT);
    }

    /**
     * What a worker is doing, while the run lasts: how long it has not answered (see {@code Liveness}), or how
     * long its current task has run — a task busy in native code still answers, and shows only as long.
     */
    private static String how(RunProgress.WorkerProgress w, boolean fin, long now) {
        if (fin || w.state() == WorkerState.DEAD) {
            return "";
        }
        if (w.silentSinceNanos() != 0) {
            return String.format(Locale.ROOT, "not answering for %.1f s", (now - w.silentSinceNanos()) / 1e9);
        }
        if (w.runningSinceNanos() != 0) {
            return String.format(Locale.ROOT, "task running for %.1f s", (now - w.runningSinceNanos()) / 1e9);
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
