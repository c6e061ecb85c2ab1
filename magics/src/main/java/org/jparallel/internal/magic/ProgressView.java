package org.jparallel.internal.magic;

import java.util.List;

/**
 * What a progress display shows at one moment, as plain values: the run's counts, times and state,
 * a row per worker and the first failures. {@link ProgressHtml} and {@link ProgressText} render it;
 * where the values come from is {@link RunSource}'s business, so rendering is a pure function
 * of this record, tested without a kernel.
 *
 * @param title            what runs: {@code %%parallel --map x:xs}
 * @param state            where the run is
 * @param done             elements that succeeded
 * @param failed           elements that failed (cancelled ones are not failed)
 * @param cancelled        elements that did not run to the end because the run was stopped
 * @param total            elements in all, or -1 while that is not known (a lazy input)
 * @param elapsedSeconds   since the run started
 * @param etaSeconds       the time left, or -1 when there is no estimate
 * @param workers          a row per worker, by index
 * @param failures         the first failures, one line each
 * @param failuresNotShown how many more failed
 * @param note             a line of its own under the headline, or null: {@code starting 2 workers…}
 */
record ProgressView(String title, State state, long done, long failed, long cancelled, long total,
                    double elapsedSeconds, double etaSeconds, List<Row> workers, List<String> failures,
                    long failuresNotShown, String note) {

    /** Where a run is. Stopped runs (cancelled, interrupted, timed out) are told apart from failed ones. */
    enum State {
        /** The pool's workers are being started; nothing runs yet. */
        STARTING("starting"),
        RUNNING("running"),
        /** Every element has a result. */
        DONE("done"),
        /** The run ended, and some element failed. */
        FAILED("failed"),
        /** The run was stopped before the end: cancelled by fail-fast or a closed pool. */
        CANCELLED("cancelled"),
        /** The user stopped the cell. */
        INTERRUPTED("interrupted"),
        /** {@code --timeout} stopped it. */
        TIMED_OUT("timed out");

        final String word;

        State(String word) {
            this.word = word;
        }

        boolean over() {
            return this != STARTING && this != RUNNING;
        }
    }

    /** How a worker is doing, in words that do not rely on colour. */
    enum WorkerCondition {
        STARTING("starting"),
        IDLE("idle"),
        BUSY("busy"),
        /** It has not answered for a while (see the pool's liveness watch). */
        UNRESPONSIVE("not answering"),
        LEAVING("leaving"),
        DEAD("dead");

        final String word;

        WorkerCondition(String word) {
            this.word = word;
        }
    }

    /**
     * One worker's part.
     *
     * @param runningForSeconds how long its current task has run, or -1 if it runs none
     * @param silentForSeconds  how long it has not answered, or -1 while it answers
     * @param retried           elements it was running when it died, run again on another worker
     */
    record Row(int index, long pid, WorkerCondition condition, long done, long failed, long cancelled,
               double runningForSeconds, double silentForSeconds, long retried) {
    }

    ProgressView {
        workers = List.copyOf(workers);
        failures = List.copyOf(failures);
    }

    /** How a run that was not stopped ended: failed if an element failed, cancelled if one was, else done. */
    State ended() {
        return failed > 0 ? State.FAILED : cancelled > 0 ? State.CANCELLED : State.DONE;
    }

    /** This view with a note under its headline. */
    ProgressView withNote(String text) {
        return new ProgressView(title, state, done, failed, cancelled, total, elapsedSeconds, etaSeconds, workers,
                failures, failuresNotShown, text);
    }

    /** Elements that are over, whatever their outcome. */
    long finished() {
        return done + failed + cancelled;
    }

    /** Elements run again because their worker died: the sum of the rows'. */
    long retried() {
        return workers.stream().mapToLong(Row::retried).sum();
    }

    /** Elements finished per second. */
    double rate() {
        return elapsedSeconds > 0 ? finished() / elapsedSeconds : 0;
    }

    /** The part of the bar that is filled, 0 to 1; 0 while the total is unknown. */
    double fraction() {
        return total > 0 ? Math.min(1.0, finished() / (double) total) : 0;
    }
}
