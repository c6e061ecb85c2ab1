package org.jparallel.testing;

import org.jparallel.api.WorkerPool;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * One real pool shared by the tests of a class ({@code @RegisterExtension static final PoolPerClass POOL =
 * new PoolPerClass(2);}): started before the first test, closed after the last within a minute. After each
 * test nothing of this JVM is left in /dev/shm; at the end every worker the pool had is gone and left no
 * segment. Pids of other processes a test class started ({@link #alsoCheck}) are checked the same way.
 */
public final class PoolPerClass implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    private static final long PID = ProcessHandle.current().pid();
    private static final Duration CLOSE = Duration.ofSeconds(60);

    private final int workers;
    private final Set<Long> workerPids = new HashSet<>();
    private WorkerPool pool;

    public PoolPerClass(int workers) {
        this.workers = workers;
    }

    /** The pool. */
    public WorkerPool get() {
        return pool;
    }

    /** Checks at the end that process {@code pid} is gone and left no segment, as the pool's workers. */
    public void alsoCheck(long pid) {
        workerPids.add(pid);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws InterruptedException {
        pool = Pools.start(workers);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        workerPids.addAll(Pools.pids(pool));
        NoSegmentsLeft.assertNone(PID, "this JVM");
    }

    @Override
    public void afterAll(ExtensionContext context) {
        workerPids.addAll(Pools.pids(pool));
        assertTimeoutPreemptively(CLOSE, pool::close);
        pool.join();
        for (long pid : workerPids) {
            Await.until("worker " + pid + " to be gone", CLOSE, () -> Pools.gone(pid));
            NoSegmentsLeft.assertNone(pid, "worker " + pid);
        }
    }
}
