package org.jparallel.internal.pool;

import java.util.List;

/**
 * A snapshot of a run: elements done out of the total (-1 while the input is still being read), and
 * per worker its PID, state, how many tasks it finished, since when its current task runs and since when
 * it has been silent.
 */
public record RunProgress(long done, long failed, long total, long startedNanos, List<WorkerProgress> workers) {

    /**
     * One worker's part in a run.
     *
     * @param runningSinceNanos when the task it runs now started ({@link System#nanoTime()}), 0 if it runs none
     * @param silentSinceNanos  when it was last heard from, if it is not answering (see {@code Liveness}); 0
     *                          while it answers
     */
    public record WorkerProgress(int index, long pid, WorkerState state, long done, long runningSinceNanos,
                                 long silentSinceNanos) {
    }
}
