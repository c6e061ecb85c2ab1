package org.jparallel.internal.pool;

import org.jparallel.api.TaskFailure;

import java.util.List;

/**
 * Hears what a run produces. Called under the pool's lock, so one call at a time: output on the pool's
 * wire thread, in the order messages arrive; a task's results and failures on the thread that
 * decoded them, after that task's output (tasks of one run may be decoded in parallel, so their results
 * may come in another order than their reports); {@link #finished} last. Must be quick and must not call
 * back into the pool.
 */
public interface RunListener {

    /** A listener that ignores everything. */
    RunListener NONE = new RunListener() {
    };

    /** The results of consecutive elements, from {@code first} on, that one worker reported. */
    default void results(long first, List<Object> values, int worker) {
    }

    /** An element failed. */
    default void failure(TaskFailure failure) {
    }

    /** A worker printed something while working on this run. */
    default void output(int worker, long pid, boolean error, String text) {
    }

    /**
     * The run was stopped before its input was run to the end, for a reason its caller must hear: its
     * input threw, an element could not be sent, or the pool was closed with the results unread. Called
     * before {@link #finished}.
     */
    default void stopped(RuntimeException why) {
    }

    /** Every element has a result or a failure (or the run was cancelled and every task came back). */
    default void finished() {
    }
}
