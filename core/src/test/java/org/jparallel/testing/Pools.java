package org.jparallel.testing;

import org.jparallel.api.WorkerPool;
import org.jparallel.api.WorkerStatus;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Real pools for tests: started and ready, or terminated and not leaked; their workers' pids. */
public final class Pools {

    /** How long a test waits for a pool's workers to come up (or to come back after a fault). */
    public static final Duration READY = Duration.ofSeconds(30);

    private Pools() {
    }

    /** A pool of {@code workers} workers, all ready. */
    public static WorkerPool start(int workers) throws InterruptedException {
        return ready(WorkerPool.start(workers));
    }

    /** Waits for the workers; a pool that does not come up is terminated, not leaked. */
    public static WorkerPool ready(WorkerPool pool) throws InterruptedException {
        try {
            return pool.awaitReady();
        } catch (RuntimeException | InterruptedException e) {
            pool.terminate();
            throw e;
        }
    }

    /** The pids of the pool's workers now. */
    public static Set<Long> pids(WorkerPool pool) {
        return pool.status().stream().map(WorkerStatus::pid).collect(Collectors.toSet());
    }

    /** Whether process {@code pid} has ended (or was never there). */
    public static boolean gone(long pid) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        return handle.isEmpty() || !handle.get().isAlive();
    }
}
