package org.jparallel.internal.magic;

import org.jparallel.api.PoolRun;
import org.jparallel.api.RunProgress;
import org.jparallel.api.TaskFailure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Where a progress display's frames come from: the public snapshot of a run ({@link PoolRun#progress()},
 * taken fresh for every frame, so counts, times and ETA move on the display's clock) and its failures as
 * data, turned into a {@link ProgressView}. Before the run is submitted (its pool still starting) a frame
 * shows the title, the total if known and no counts. Thread-safe.
 */
final class RunSource implements ProgressDisplay.Source {

    /** How many failures the display lists; the rest are counted. */
    static final int FAILURES_SHOWN = 3;

    private final String title;
    private final long knownTotal;
    private PoolRun<?> run;

    /**
     * @param knownTotal the number of elements if it is known before the run starts (a collection), else -1;
     *                   the run's own count replaces it
     */
    RunSource(String title, long knownTotal) {
        this.title = title;
        this.knownTotal = knownTotal;
    }

    /** From now on, frames show {@code run}. */
    synchronized void follow(PoolRun<?> run) {
        this.run = run;
    }

    @Override
    public ProgressView view(ProgressView.State state) {
        PoolRun<?> followed;
        synchronized (this) {
            followed = run;
        }
        if (followed == null) {
            return new ProgressView(title, state, 0, 0, 0, knownTotal, 0, -1, List.of(), List.of(), 0, null);
        }
        return view(title, state, followed.progress(), followed.failures());
    }

    /**
     * How {@code run} stands now, in its own words: running, or how it ended (done, failed, cancelled, timed
     * out), for showing a run handle.
     */
    static ProgressView now(PoolRun<?> run, String title) {
        CompletableFuture<?> outcome = run.toCompletableFuture();
        ProgressView.State state = outcome.isDone()
                ? ProgressDisplay.outcome(outcome.handle((results, failure) -> failure).join())
                : ProgressView.State.RUNNING;
        ProgressView view = view(title, state, run.progress(), run.failures());
        return state == ProgressView.State.DONE ? view(title, view.ended(), run.progress(), run.failures()) : view;
    }

    /** A frame of {@code progress} and the failures so far; a pure function, for tests. */
    static ProgressView view(String title, ProgressView.State state, RunProgress progress, List<TaskFailure> failures) {
        Map<Integer, long[]> failedAndCancelled = new HashMap<>();
        List<String> shown = new ArrayList<>();
        long notShown = 0;
        for (TaskFailure failure : failures) {
            boolean cancelled = failure.kind() == TaskFailure.Kind.CANCELLED;
            failedAndCancelled.computeIfAbsent(failure.worker(), w -> new long[2])[cancelled ? 1 : 0]++;
            if (cancelled) {
                continue;
            }
            if (shown.size() < FAILURES_SHOWN) {
                shown.add(failure.summary());
            } else {
                notShown++;
            }
        }
        List<ProgressView.Row> rows = new ArrayList<>();
        for (RunProgress.Worker w : progress.workers()) {
            long[] fc = failedAndCancelled.getOrDefault(w.index(), new long[2]);
            rows.add(new ProgressView.Row(w.index(), w.pid(), condition(w.state()), Math.max(0, w.done() - fc[0]),
                    fc[0], fc[1], seconds(w.runningFor()), seconds(w.silentFor()), w.retried()));
        }
        return new ProgressView(title, state, progress.done() - progress.failed(), progress.failed(),
                progress.cancelled(), progress.total(), progress.elapsed().toNanos() / 1e9,
                progress.eta() == null ? -1 : progress.eta().toNanos() / 1e9, rows, shown, notShown, null);
    }

    /** Seconds, or -1 for none ({@link Duration#ZERO}). */
    private static double seconds(Duration d) {
        return d.isZero() ? -1 : d.toNanos() / 1e9;
    }

    private static ProgressView.WorkerCondition condition(RunProgress.State state) {
        return switch (state) {
            case STARTING -> ProgressView.WorkerCondition.STARTING;
            case IDLE -> ProgressView.WorkerCondition.IDLE;
            case BUSY -> ProgressView.WorkerCondition.BUSY;
            case SILENT -> ProgressView.WorkerCondition.UNRESPONSIVE;
            case RETIRING, STOPPING -> ProgressView.WorkerCondition.LEAVING;
            case DEAD -> ProgressView.WorkerCondition.DEAD;
        };
    }
}
