package org.jparallel.api;

import org.jparallel.internal.shm.SharedMemory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * One real pool shared by the tests of a class ({@code @RegisterExtension static final CheckedPool POOL =
 * new CheckedPool(2);}): started before the first test, closed after the last within a minute; after each
 * test nothing of this JVM is left in /dev/shm, and at the end nothing of any worker the pool had.
 */
final class CheckedPool implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    private static final long PID = ProcessHandle.current().pid();

    private final int workers;
    private final Set<Long> workerPids = new HashSet<>();
    private WorkerPool pool;

    CheckedPool(int workers) {
        this.workers = workers;
    }

    /** The pool. */
    WorkerPool get() {
        return pool;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws InterruptedException {
        pool = PoolFaultsIT.pool(workers);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        workerPids.addAll(PoolFaultsIT.pids(pool));
        assertEquals(List.of(), SharedMemory.segmentsCreatedBy(PID));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        workerPids.addAll(PoolFaultsIT.pids(pool));
        assertTimeoutPreemptively(Duration.ofSeconds(60), pool::close);
        pool.join();
        for (long pid : workerPids) {
            assertEquals(List.of(), SharedMemory.segmentsCreatedBy(pid), "left by worker " + pid);
        }
    }
}
