package org.jparallel.internal.pool;

import java.util.List;

/**
 * A snapshot of a run: elements done out of the total (-1 while the input is still being read), and
 * per worker its PID, state and how many of this run's elements it finished.
 */
public record RunProgress(long done, long failed, long total, long startedNanos, List<WorkerProgress> workers) {

    /** One worker's part in a run. */
    public record WorkerProgress(int index, long pid, WorkerState state, long done) {
    }
}
