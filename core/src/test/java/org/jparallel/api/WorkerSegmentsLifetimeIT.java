package org.jparallel.api;

import org.jparallel.internal.shm.SharedMemory;
import org.jparallel.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a worker creates in shared memory and keeps is gone once the worker has ended, whichever way it
 * ended: pool close, terminate (what {@code %pool restart}, {@code %pool stop} and the kernel's shutdown
 * do), resize, SIGTERM, {@code System.exit} in a task, SIGKILL.
 */
class WorkerSegmentsLifetimeIT {

    private static final Duration LIMIT = Duration.ofSeconds(30);

    /**
     * A directory of this test's own for segments (workers get it from the pool): other JVMs on the machine
     * sweep /dev/shm now and then, and would delete what a worker left before the check below could see it.
     */
    @TempDir
    Path directory;

    @BeforeEach
    void ownDirectory() {
        System.setProperty(SharedMemory.DIRECTORY_PROPERTY, directory.toString());
    }

    @AfterEach
    void nothingLeftByThisJvm() throws IOException {
        System.clearProperty(SharedMemory.DIRECTORY_PROPERTY);
        try (Stream<Path> files = Files.list(directory)) {
            assertEquals(List.of(), files.collect(Collectors.toList()));
        }
    }

    /** On the pool's only worker: creates a value and a 1 MiB array and keeps them (never closed); its pid. */
    private long createAndKeep(WorkerPool pool) {
        long worker = pool.apply(() -> {
            Shared.intValue(7);
            Shared.byteArray(1 << 20);
            return ProcessHandle.current().pid();
        });
        assertEquals(2, SharedMemory.segmentsCreatedBy(worker).size());
        return worker;
    }

    private void awaitNothingLeftBy(long worker) {
        assertEquals(directory, SharedMemory.directory());
        Await.until("no segment of worker " + worker + " in " + directory, LIMIT,
                () -> !ProcessHandle.of(worker).map(ProcessHandle::isAlive).orElse(false)
                        && SharedMemory.segmentsCreatedBy(worker).isEmpty());
    }

    /** Starts a pool whose only worker keeps what it created, and ends the pool with {@code end}. */
    private void endPool(Consumer<WorkerPool> end) throws InterruptedException {
        WorkerPool pool = WorkerPool.start(1).awaitReady();
        long worker = createAndKeep(pool);
        end.accept(pool);
        pool.join();
        awaitNothingLeftBy(worker);
    }

    @Test
    void closeReleasesWhatTheWorkersKept() throws InterruptedException {
        endPool(WorkerPool::close);
    }

    @Test
    void terminateReleasesWhatTheWorkersKept() throws InterruptedException {
        for (int round = 0; round < 3; round++) { // %pool restart: 5 of 5 left a segment
            endPool(WorkerPool::terminate);
        }
    }

    @Test
    void terminateWhileATaskRunsReleasesWhatItsWorkerCreated() throws InterruptedException {
        WorkerPool pool = WorkerPool.start(1).awaitReady();
        try (SharedLong created = Shared.longValue(0)) {
            pool.applyAsync(() -> {
                Shared.doubleArray(1 << 16);
                created.set(ProcessHandle.current().pid());
                Thread.sleep(600_000); // a long task, still running when the pool is terminated
                return 0;
            });
            Await.until("the task created its array", LIMIT, () -> created.get() != 0);
            pool.terminate();
            pool.join();
            awaitNothingLeftBy(created.get());
        }
    }

    @Test
    void aWorkerRemovedByAResizeReleasesWhatItKept() throws InterruptedException {
        WorkerPool pool = WorkerPool.start(2).awaitReady();
        try (SharedBarrier both = Shared.barrier(2, LIMIT)) {
            List<Long> workers = pool.map(i -> {
                both.await(); // one element on each worker
                Shared.intValue(i);
                return ProcessHandle.current().pid();
            }, List.of(0, 1), 1);
            assertEquals(2, Set.copyOf(workers).size());
            long removed = pool.status().get(1).pid();
            long kept = pool.status().get(0).pid();
            pool.resize(1);
            awaitNothingLeftBy(removed);
            assertEquals(1, SharedMemory.segmentsCreatedBy(kept).size(), "the remaining worker keeps its own");
        } finally {
            pool.close();
            pool.join();
        }
    }

    /** Ends the pool's only worker with a signal: what it kept goes, and the pool carries on with a new worker. */
    private void endBySignal(Consumer<ProcessHandle> signal) throws InterruptedException {
        WorkerPool pool = WorkerPool.start(1).awaitReady();
        try {
            long worker = createAndKeep(pool);
            signal.accept(ProcessHandle.of(worker).orElseThrow());
            awaitNothingLeftBy(worker);
            assertEquals(List.of(1), pool.map(x -> x, List.of(1)));
        } finally {
            pool.close();
            pool.join();
        }
    }

    @Test
    void aWorkerEndedBySigtermReleasesWhatItKept() throws InterruptedException {
        endBySignal(ProcessHandle::destroy); // SIGTERM, as kill(1) sends: the worker's shutdown hook
    }

    @Test
    void whatAWorkerKilledWithSigkillLeftIsDeletedOnceItIsReaped() throws InterruptedException {
        endBySignal(ProcessHandle::destroyForcibly); // SIGKILL: the pool deletes what the worker left
    }

    @Test
    void aWorkerEndedBySystemExitInATaskReleasesWhatItCreated() throws InterruptedException {
        WorkerPool pool = WorkerPool.start(1).awaitReady();
        try (SharedLong victim = Shared.longValue(0)) {
            int result = pool.apply(() -> {
                if (victim.compareAndSet(0, ProcessHandle.current().pid())) {
                    Shared.intArray(1000);
                    System.exit(3);
                }
                return 1; // the task again, on the replacement
            });
            assertEquals(1, result);
            awaitNothingLeftBy(victim.get());
        } finally {
            pool.close();
            pool.join();
        }
    }
}
