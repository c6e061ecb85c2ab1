package org.jparallel.api;

import org.jparallel.testing.PoolPerClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class WorkerPoolIT {

    @RegisterExtension
    static final PoolPerClass POOL = new PoolPerClass(2);

    @Test
    void mapsInInputOrder() {
        List<Integer> xs = IntStream.range(0, 10).boxed().collect(Collectors.toList());
        assertEquals(List.of(0, 1, 4, 9, 16, 25, 36, 49, 64, 81), POOL.get().map(x -> x * x, xs));
    }

    @Test
    void eachWorkerIsAChildProcessOfItsOwnWhosePidTheStatusShows() {
        // two tasks that wait for each other can only finish if they run at once, one on each worker
        try (SharedBarrier bothRunning = Shared.barrier(2, Duration.ofSeconds(30))) {
            List<Long> pids = POOL.get().map(i -> {
                bothRunning.await();
                return WorkerIdentity.current().pid();
            }, List.of(1, 2), 1);
            Set<Long> shown = POOL.get().status().stream().map(WorkerStatus::pid).collect(Collectors.toSet());
            assertEquals(2, Set.copyOf(pids).size(), "the two tasks ran in one process: " + pids);
            assertEquals(shown, Set.copyOf(pids));
            long self = ProcessHandle.current().pid();
            for (long pid : shown) {
                assertEquals(self, ProcessHandle.of(pid).flatMap(ProcessHandle::parent).map(ProcessHandle::pid).orElse(-1L),
                        "worker " + pid + " is not a child of this JVM");
            }
        }
    }

    @Test
    void showsItselfByItsSize() {
        assertEquals("WorkerPool[2 workers]", POOL.get().toString());
    }

    @Test
    void applyReturnsTheResult() {
        int base = 40;
        int sum = POOL.get().apply(x -> x + base, 2);
        assertEquals(42, sum);
    }

    @Test
    void callbacksRunOutsideTheThreadGroupOfTheCellThatRegisteredThem() throws Exception {
        // in a notebook, stopping a cell interrupts every thread of its group; the callback thread is made
        // by the first call that hands it a callback, here a thread of the group "cell"
        ThreadGroup cell = new ThreadGroup("cell");
        CompletableFuture<ThreadGroup> ranIn = new CompletableFuture<>();
        Thread inCell = new Thread(cell, () -> {
            try (WorkerPool own = WorkerPool.start(1)) {
                AsyncResult<Integer> done = own.applyAsync(x -> x, 1);
                done.waitFor(); // done: onSuccess hands the callback over on this thread
                done.onSuccess(x -> ranIn.complete(Thread.currentThread().getThreadGroup()));
                ranIn.join();
            } catch (InterruptedException e) {
                ranIn.completeExceptionally(e);
            }
        }, "cell-thread");
        inCell.start();
        ThreadGroup group = ranIn.get(60, TimeUnit.SECONDS);
        inCell.join();
        assertFalse(cell.parentOf(group), "the callback ran in the cell's thread group");
        assertEquals("jparallel-service", group.getName());
    }
}
