package org.jparallel.internal.magic;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.jparallel.api.TaskFailure;
import org.jparallel.internal.pool.RunListener;
import org.jparallel.internal.pool.RunProgress;
import org.jparallel.internal.wire.ServiceThreads;
import org.jparallel.notebook.Notebook;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The live progress of a parallel cell: one display, updated in place, with a bar (done/total, rate,
 * ETA) and a row per worker (PID, state, elements done) — HTML for notebooks, plain text for text
 * front ends. Updates are throttled to a few per second; the final state stays in the notebook.
 * Everything else a run reports is passed on to {@code inner}.
 *
 * <p>The display first appears 0.3 s into the run, so a run that ends sooner shows only its final
 * state: a text front end such as {@code jupyter console} prints a display when it appears and
 * ignores later updates, and a first snapshot would read "0 done".
 */
final class ProgressDisplay implements RunListener {

    private static final long MIN_INTERVAL_NANOS = 250_000_000L;
    private static final long FIRST_SHOW_NANOS = 300_000_000L;
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(
            body -> ServiceThreads.daemon(body, "jparallel-progress"));

    private final RunListener inner;
    private final String title;
    private final boolean enabled;
    private final Map<Integer, RunProgress.WorkerProgress> workers = new TreeMap<>();
    private final Map<Integer, Long> doneByWorker = new TreeMap<>();
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
        doneByWorker.merge(failure.worker(), 1L, Long::sum);
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
        closed = true;
        if (enabled && displayId != null) {
            show(true, outcome);
        }
    }

    /** Shows the final state; called once the run is over. */
    synchronized void close(String outcome) {
        closed = true;
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

    private String text(boolean fin, String outcome) {
        StringBuilder s = new StringBuilder();
        int filled = (int) Math.round(fraction() * 30);
        s.append('[').append("#".repeat(filled)).append(".".repeat(30 - filled)).append("] ");
        s.append(headline(fin, outcome));
        for (RunProgress.WorkerProgress w : workers.values()) {
            s.append(String.format(Locale.ROOT, "%n  worker %d  pid %-7d %-8s %d done", w.index(), w.pid(),
                    w.state().name().toLowerCase(Locale.ROOT), doneByWorker.getOrDefault(w.index(), 0L)));
        }
        return s.toString();
    }

    private String html(boolean fin, String outcome) {
        StringBuilder s = new StringBuilder("<div class=\"jparallel-progress\">");
        s.append(String.format(Locale.ROOT, "<progress value=\"%.3f\" max=\"1\" style=\"width:24em\"></progress> ", fraction()));
        s.append("<span>").append(escape(headline(fin, outcome))).append("</span>");
        s.append("<table><tr><th>worker</th><th>PID</th><th>state</th><th>done</th></tr>");
        for (RunProgress.WorkerProgress w : workers.values()) {
            s.append("<tr><td>").append(w.index()).append("</td><td>").append(w.pid()).append("</td><td>")
                    .append(w.state().name().toLowerCase(Locale.ROOT)).append("</td><td>")
                    .append(doneByWorker.getOrDefault(w.index(), 0L)).append("</td></tr>");
        }
        return s.append("</table></div>").toString();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
