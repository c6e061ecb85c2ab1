package org.jparallel.internal.magic;

import org.jparallel.api.WorkerStatus;
import org.jparallel.internal.launch.LaunchCommand;
import org.jparallel.internal.launch.SshOptions;
import org.jparallel.internal.notebook.Notebooks;
import org.jparallel.internal.pool.RealWorkerPool;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The pool that {@code %%parallel} and {@code %pool} use in this notebook: started lazily with one
 * worker per processor by the first parallel cell, or explicitly with {@code %pool start}. Stopped
 * when the kernel shuts down. Thread-safe.
 */
final class NotebookPool {

    private static final long START_TIMEOUT_S = 60;
    private static RealWorkerPool pool;

    private NotebookPool() {
    }

    /** The current pool, started with the default size if there is none. */
    static synchronized RealWorkerPool get() {
        if (pool == null) {
            start(Runtime.getRuntime().availableProcessors(), List.of());
        }
        return pool;
    }

    /** The current pool, or null. */
    static synchronized RealWorkerPool current() {
        return pool;
    }

    /** Replaces the current pool (stopping it) with a new one, and waits until its workers are up. */
    static synchronized RealWorkerPool start(int size, List<String> jvmOptions) {
        return start(size, jvmOptions, SshOptions.NONE);
    }

    /** {@link #start(int, List)} with workers on other hosts: the last {@code ssh.workers()} of {@code size}. */
    static synchronized RealWorkerPool start(int size, List<String> jvmOptions, SshOptions ssh) {
        stop();
        RealWorkerPool started = RealWorkerPool.start(new RealWorkerPool.Options(size, jvmOptions, null, 0, null,
                List.of(), LaunchCommand.LOCAL, ssh), Notebooks.codeSource());
        try {
            started.awaitReady(START_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            started.terminate();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the workers were starting");
        } catch (IllegalStateException e) {
            started.terminate();
            throw e;
        }
        pool = started;
        return pool;
    }

    /**
     * Terminates the notebook's pool, if there is one, once its background runs are cancelled (so they end
     * cancelled, not failed); returns the PIDs of the workers it ended.
     */
    static synchronized List<Long> stop() {
        if (pool == null) {
            return List.of();
        }
        BackgroundRun.cancelAll();
        RealWorkerPool old = pool;
        pool = null;
        List<Long> pids = old.status().stream().map(WorkerStatus::pid).toList();
        old.terminate();
        return pids;
    }
}
