package org.jparallel.api;

import org.jparallel.testing.Await;
import org.jparallel.testing.Pools;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.jparallel.testing.Pools.READY;
import static org.jparallel.testing.Pools.gone;
import static org.jparallel.testing.Pools.pids;
import static org.jparallel.testing.Pools.ready;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cases of CPython's {@code _TestPool}, {@code _TestPoolWorkerLifetime} and {@code TestPoolNotLeakOnFailure}
 * that need a pool of their own: how a pool ends, task limits per worker, a pool whose workers cannot start.
 * Every pool here is ended by its test, and its processes are checked gone. See docs/cpython-checklist.md.
 */
class CPythonPoolLifetimeIT {

    private static final Duration LIMIT = Duration.ofSeconds(60);

    /** Ends the pool within the limit and checks that none of its processes is left. */
    private static void closed(WorkerPool pool, Set<Long> workers) {
        assertTimeoutPreemptively(LIMIT, pool::close);
        assertTimeoutPreemptively(LIMIT, pool::join);
        for (long pid : workers) {
            assertTrue(gone(pid), "worker pid " + pid + " outlived its pool");
        }
    }

    @Test // _TestPool.test_terminate: terminate() with 10,000 slow tasks pending returns at once
    void terminateWithTenThousandSlowTasksPendingEndsThemAll() throws Exception {
        WorkerPool pool = Pools.start(2);
        Set<Long> workers = pids(pool);
        try (SharedEvent never = Shared.event()) {
            List<Integer> xs = IntStream.range(0, 10_000).boxed().collect(Collectors.toList());
            AsyncResult<List<Boolean>> r = pool.mapAsync(x -> never.await(LIMIT), xs);
            Await.until("both workers to hold a task", READY,
                    () -> pool.status().stream().filter(s -> s.state().equals("busy")).count() == 2);
            assertTimeoutPreemptively(Duration.ofSeconds(20), pool::terminate);
            assertTimeoutPreemptively(Duration.ofSeconds(20), pool::join);
            for (long pid : workers) {
                assertTrue(gone(pid), "worker pid " + pid + " outlived terminate()");
            }
            WorkerException e = assertThrows(WorkerException.class, () -> r.get(Duration.ofSeconds(10)));
            assertEquals(10_000, e.failures().size());
            assertTrue(e.failures().stream().allMatch(f -> f.kind() == TaskFailure.Kind.CANCELLED), e.getMessage());
        }
    }

    @Test // _TestPool.test_context and test_enter (bpo-35477): a closed pool refuses work
    void aPoolClosedByTryWithResourcesRefusesLaterCalls() throws Exception {
        WorkerPool outside;
        Set<Long> workers;
        try (WorkerPool pool = Pools.start(1)) {
            outside = pool;
            workers = pids(pool);
            assertEquals(List.of(0, 1, 4), pool.mapAsync((Integer x) -> x * x, List.of(0, 1, 2)).get(LIMIT));
        }
        outside.join();
        for (long pid : workers) {
            assertTrue(gone(pid), "worker pid " + pid + " outlived close()");
        }
        assertThrows(IllegalStateException.class, () -> outside.mapAsync(x -> x, List.of(1)));
        assertThrows(IllegalStateException.class, () -> outside.apply(() -> 1));
        assertTimeoutPreemptively(LIMIT, outside::close); // closing again does nothing
    }

    @Test // _TestPoolWorkerLifetime.test_pool_worker_lifetime (#7805): workers are replaced, results stay right
    void workersWithATaskLimitAreReplacedAndEveryResultIsRight() throws Exception {
        WorkerPool pool = ready(WorkerPool.builder().workers(2).maxTasksPerWorker(10).start());
        Set<Long> first = pids(pool);
        Set<Long> seen = new java.util.HashSet<>(first);
        List<AsyncResult<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            results.add(pool.applyAsync(x -> x * x, i));
        }
        for (int j = 0; j < results.size(); j++) {
            assertEquals(j * j, results.get(j).get(LIMIT));
        }
        Await.until("two workers up again", READY, () -> pool.status().size() == 2
                && pool.status().stream().allMatch(s -> s.pid() > 0));
        Set<Long> last = pids(pool);
        seen.addAll(last);
        assertFalse(last.contains(0L), "every worker has a pid: " + pool.status());
        assertTrue(last.stream().noneMatch(first::contains), "the workers were replaced: " + first + " → " + last);
        closed(pool, seen);
    }

    @Test // _TestPoolWorkerLifetime.test_pool_worker_lifetime_early_close (#10332): close() must not hang
    void closeRightAfterSubmittingToWorkersOfOneTaskEachWaitsForEveryResult() throws Exception {
        WorkerPool pool = ready(WorkerPool.builder().workers(2).maxTasksPerWorker(1).start());
        Set<Long> seen = new java.util.HashSet<>(pids(pool));
        List<AsyncResult<Long>> results = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            results.add(pool.applyAsync(x -> ProcessHandle.current().pid() << 8 | x, i));
        }
        assertTimeoutPreemptively(LIMIT, pool::close);
        Set<Long> ranOn = new java.util.HashSet<>();
        for (int j = 0; j < results.size(); j++) {
            long r = results.get(j).get(Duration.ofSeconds(10));
            assertEquals(j, r & 0xFF);
            ranOn.add(r >> 8);
        }
        assertEquals(4, ranOn.size(), "one process per task: " + ranOn);
        seen.addAll(ranOn);
        closed(pool, seen);
    }

    @Test // TestPoolNotLeakOnFailure.test_release_unused_processes (#19675): no process leaks when creation fails
    void aPoolWhoseWorkersCannotStartFailsAndLeavesNoProcess() {
        WorkerPool pool = WorkerPool.builder().workers(2).jvmOption("-XX:+NoSuchOptionForJparallel").start();
        IllegalStateException e = assertTimeoutPreemptively(LIMIT,
                () -> assertThrows(IllegalStateException.class, pool::awaitReady));
        assertTrue(e.getMessage().contains("NoSuchOptionForJparallel"), e.getMessage());
        assertTimeoutPreemptively(LIMIT, pool::terminate);
        assertTimeoutPreemptively(LIMIT, pool::join);
        Await.until("no worker process of the failed pool to be left", Duration.ofSeconds(10), () -> ProcessHandle.current()
                .descendants().noneMatch(p -> p.info().arguments()
                        .map(a -> String.join(" ", a).contains("NoSuchOptionForJparallel")).orElse(false)));
    }
}
