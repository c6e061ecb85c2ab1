package org.jparallel.internal.pool;

import org.jparallel.api.PoolRun;

/**
 * Hears of every run a {@code WorkerPool} call starts ({@code map}, {@code starmap}, {@code mapAsync},
 * {@code apply}, {@code submit}, {@code submitOnWorkers}), to show its progress: in a notebook, the extension
 * installs one ({@link #install}) that shows the same live display as {@code %%parallel} for a call that takes
 * more than a moment. A pool looks up the observer installed when it starts (as it does its code source), so
 * a program without a notebook pays nothing. Must return at once; called on the caller's thread.
 */
public interface RunObserver {

    /** An observer that shows nothing. */
    RunObserver NONE = (run, call) -> {
    };

    /** A run has started; {@code call} names it for a title, such as {@code "WorkerPool.map"}. */
    void started(PoolRun<?> run, String call);

    /** Makes {@code observer} that of the pools started from now on (null: {@link #NONE}). */
    static void install(RunObserver observer) {
        InstalledObserver.observer = observer == null ? NONE : observer;
    }

    /** The observer of pools started now. */
    static RunObserver installed() {
        return InstalledObserver.observer;
    }
}

/** Where the installed {@link RunObserver} is kept. */
final class InstalledObserver {
    static volatile RunObserver observer = RunObserver.NONE;

    private InstalledObserver() {
    }
}
