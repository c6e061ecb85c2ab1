package org.jparallel.internal.magic;

import org.jparallel.api.TaskFailure;
import org.jparallel.internal.pool.RunListener;
import org.jparallel.internal.pool.RunProgress;
import org.jparallel.internal.pool.WorkerState;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a progress display's values come from today: hears a run's {@link RunListener} calls (passing
 * each on to {@code inner}) and turns what it heard into a {@link ProgressView}. The one place that knows
 * the pool's {@link RunProgress}; a display only asks for {@link #view}. Thread-safe.
 */
final class RunProgressSource implements RunListener, ProgressDisplay.Source {

    /** How many failures the display lists; the rest are counted. */
    static final int FAILURES_SHOWN = 3;

    /** One worker's counts, as this run's results and failures arrive. */
    private static final class Counts {
        long done;
        long failed;
        long cancelled;
    }

    private final RunListener inner;
    private final String title;
    /** When the run started: when this was made, until the pool's first snapshot says. */
    private long startedNanos = System.nanoTime();
    private final Map<Integer, RunProgress.WorkerProgress> workers = new TreeMap<>();
    private final Map<Integer, Counts> counts = new TreeMap<>();
    private final List<String> failures = new ArrayList<>();
    private long failuresNotShown;
    private long done;
    private long failed;
    private long cancelled;
    private long total;

    /**
     * @param total the number of elements if it is known before the run starts (a collection), else -1;
     *              the pool's count replaces it once the input has been read
     */
    RunProgressSource(RunListener inner, String title, long total) {
        this.inner = inner;
        this.title = title;
        this.total = total;
    }

    @Override
    public void results(long first, List<Object> values, int worker) {
        synchronized (this) {
            done += values.size();
            counts(worker).done += values.size();
        }
        inner.results(first, values, worker);
    }

    @Override
    public void failure(TaskFailure failure) {
        synchronized (this) {
            Counts c = counts(failure.worker());
            if (failure.kind() == TaskFailure.Kind.CANCELLED) {
                cancelled++;
                c.cancelled++;
            } else {
                failed++;
                c.failed++;
                if (failures.size() < FAILURES_SHOWN) {
                    failures.add(failure.summary());
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
        startedNanos = progress.startedNanos(); // not counting the time the pool took to start
        for (RunProgress.WorkerProgress w : progress.workers()) {
            workers.put(w.index(), w);
        }
        if (progress.total() >= 0) {
            total = progress.total();
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

    private Counts counts(int worker) {
        return counts.computeIfAbsent(worker, k -> new Counts());
    }

    @Override
    public synchronized ProgressView view(ProgressView.State state) {
        long now = System.nanoTime();
        double elapsed = (now - startedNanos) / 1e9;
        long finished = done + failed + cancelled;
        double rate = elapsed > 0 ? finished / elapsed : 0;
        double eta = total > 0 && rate > 0 && finished < total ? (total - finished) / rate : -1;
        List<ProgressView.Row> rows = new ArrayList<>();
        for (RunProgress.WorkerProgress w : workers.values()) {
            Counts c = counts.getOrDefault(w.index(), new Counts());
            rows.add(new ProgressView.Row(w.index(), w.pid(), condition(w), c.done, c.failed, c.cancelled,
                    w.runningSinceNanos() != 0 ? (now - w.runningSinceNanos()) / 1e9 : -1,
                    w.silentSinceNanos() != 0 ? (now - w.silentSinceNanos()) / 1e9 : -1));
        }
        return new ProgressView(title, state, done, failed, cancelled, total, elapsed, eta, rows, failures,
                failuresNotShown, null);
    }

    private static ProgressView.WorkerCondition condition(RunProgress.WorkerProgress w) {
        if (w.silentSinceNanos() != 0 && w.state() != WorkerState.DEAD) {
            return ProgressView.WorkerCondition.UNRESPONSIVE;
        }
        return switch (w.state()) {
            case STARTING -> ProgressView.WorkerCondition.STARTING;
            case IDLE -> ProgressView.WorkerCondition.IDLE;
            case BUSY -> ProgressView.WorkerCondition.BUSY;
            case RETIRING, STOPPING -> ProgressView.WorkerCondition.LEAVING;
            case DEAD -> ProgressView.WorkerCondition.DEAD;
        };
    }
}
