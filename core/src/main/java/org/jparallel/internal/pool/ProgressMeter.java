package org.jparallel.internal.pool;

import org.jparallel.api.RunProgress;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures one {@link Run}'s progress and makes its {@link RunProgress} snapshots: elements finished per
 * worker (from reports, and from the in-chunk counts of tasks still on workers), the rate, the ETA. Changed
 * and read under the pool's lock, by the run's own methods.
 *
 * <p><b>The ETA</b> is what is left divided by the rate since the first task was handed out, counting the
 * elements finished inside chunks not reported yet. It used to be counted from finished chunks only, over the
 * time since the run was submitted: the first chunk to come back (125 of 1,000 elements of 50 ms, on 2
 * workers) then made the rate half the real one, as the other worker's chunk, as far along, counted for
 * nothing, and the ETA twice the time left.
 */
final class ProgressMeter {

    private final long startedNanos;
    /** When its first task was handed to a worker; 0 before. */
    private long firstSentNanos;
    /** Elements finished per worker that reported them, failures included; workers gone stay listed. */
    private final Map<WorkerHandle, Long> doneBy = new LinkedHashMap<>();
    /** Elements each worker was running when it died, run again elsewhere; by the worker that lost them. */
    private final Map<WorkerHandle, Long> retriedFrom = new LinkedHashMap<>();
    /** The highest done count shown, so that a chunk run again after its worker died does not count down. */
    private long shownDone;

    ProgressMeter(long startedNanos) {
        this.startedNanos = startedNanos;
    }

    long startedNanos() {
        return startedNanos;
    }

    /** A task of the run was handed to a worker. */
    void sent(long now) {
        if (firstSentNanos == 0) {
            firstSentNanos = now;
        }
    }

    /** {@code worker} (null: none, the element never reached one) finished {@code elements} elements. */
    void finished(WorkerHandle worker, long elements) {
        if (worker != null) {
            doneBy.merge(worker, elements, Long::sum);
        }
    }

    /** {@code worker} died running {@code elements} elements, which are handed out again. */
    void retried(WorkerHandle worker, long elements) {
        retriedFrom.merge(worker, elements, Long::sum);
    }

    /**
     * A snapshot at {@code now}.
     *
     * @param reported  elements reported done, failures included
     * @param total     elements of the run, -1 while the input is read
     * @param current   the pool's workers now; each gets a row
     * @param live      the workers whose processes run: the tasks of the run they hold count what they finished
     * @param owner     the run, to tell its tasks from others
     */
    RunProgress snapshot(long reported, long failed, long cancelled, long total, boolean finished,
                         List<WorkerHandle> current, List<WorkerHandle> live, Run owner, long now) {
        Map<WorkerHandle, Long> inChunks = new IdentityHashMap<>();
        long partial = 0;
        for (WorkerHandle w : live) {
            for (Task task : w.tasks()) {
                if (task.run == owner && task.doneSoFar() > 0) {
                    inChunks.merge(w, task.doneSoFar(), Long::sum);
                    partial += task.doneSoFar();
                }
            }
        }
        long done = finished ? reported : Math.max(shownDone, reported + partial);
        if (total >= 0) {
            done = Math.min(done, total - cancelled);
        }
        shownDone = Math.max(shownDone, done);
        double seconds = firstSentNanos == 0 ? 0 : (now - firstSentNanos) / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        Duration eta = finished ? Duration.ZERO
                : total < 0 || rate <= 0 ? null
                : Duration.ofNanos((long) ((total - cancelled - done) / rate * 1e9));
        return new RunProgress(done, failed, cancelled, total, Duration.ofNanos(now - startedNanos), rate, eta,
                finished, rows(current, inChunks, now));
    }

    private List<RunProgress.Worker> rows(List<WorkerHandle> current, Map<WorkerHandle, Long> inChunks, long now) {
        List<WorkerHandle> shown = new ArrayList<>();
        for (Map<WorkerHandle, Long> workedFor : List.of(doneBy, retriedFrom)) {
            for (WorkerHandle gone : workedFor.keySet()) {
                if (!current.contains(gone) && !shown.contains(gone)) {
                    shown.add(gone);
                }
            }
        }
        shown.addAll(current);
        shown.sort(Comparator.comparingInt(w -> w.index)); // stable: a worker gone comes before its replacement
        List<RunProgress.Worker> rows = new ArrayList<>(shown.size());
        for (WorkerHandle w : shown) {
            long running = w.runningSinceNanos();
            rows.add(new RunProgress.Worker(w.index, w.pid, stateOf(w),
                    doneBy.getOrDefault(w, 0L) + inChunks.getOrDefault(w, 0L),
                    running == 0 || w.state() == WorkerState.DEAD ? Duration.ZERO : Duration.ofNanos(now - running),
                    w.silent() ? Duration.ofNanos(now - w.lastHeardNanos()) : Duration.ZERO,
                    retriedFrom.getOrDefault(w, 0L)));
        }
        return rows;
    }

    private static RunProgress.State stateOf(WorkerHandle w) {
        if (w.silent() && w.state() != WorkerState.DEAD) {
            return RunProgress.State.SILENT;
        }
        return RunProgress.State.valueOf(w.state().name());
    }
}
