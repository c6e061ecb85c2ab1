package org.jparallel.api;

import org.jparallel.internal.shm.SharedMemory;
import org.jparallel.testing.PoolPerClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Workers that start workers: a task may start a pool or a {@code WorkerProcess} of its own, whose
 * processes are its children and end with it (CPython's {@code test_recursion}, {@code test_parent_process},
 * {@code TestStdinBadfiledescriptor}).
 */
class NestedWorkersIT {

    @RegisterExtension
    static final PoolPerClass POOL = new PoolPerClass(2);

    /** The PID of the process that started this one, and this one's, as seen from inside it. */
    private static List<Long> parentAndSelf() {
        long self = ProcessHandle.current().pid();
        return List.of(ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L), self);
    }

    @Test
    void aTaskStartsAPoolWhoseWorkersAreItsChildrenAndEndWithIt() {
        List<Object> seen = POOL.get().apply(() -> {
            try (var inner = WorkerPool.start(2)) {
                List<List<Long>> inside = inner.map(x -> parentAndSelf(), List.of(1, 2, 3, 4), 1);
                return List.of(ProcessHandle.current().pid(), inside);
            }
        });
        long worker = (Long) seen.get(0);
        @SuppressWarnings("unchecked")
        List<List<Long>> inside = (List<List<Long>>) seen.get(1);
        for (List<Long> parentAndChild : inside) {
            assertEquals(worker, parentAndChild.get(0), "a nested worker's parent is the worker whose task started it");
            assertTrue(ProcessHandle.of(parentAndChild.get(1)).isEmpty(), "a nested worker outlived its pool");
            assertEquals(List.of(), SharedMemory.segmentsCreatedBy(parentAndChild.get(1)));
        }
    }

    @Test
    void processesStartProcessesThreeDeep() throws InterruptedException {
        // test_recursion: a process whose target starts a process, whose target starts another
        try (SharedQueue<List<Long>> lineage = Shared.queue()) {
            WorkerProcess top = WorkerProcess.start(() -> {
                WorkerProcess middle = WorkerProcess.start(() -> {
                    WorkerProcess bottom = WorkerProcess.start(() -> lineage.put(parentAndSelf()));
                    bottom.join();
                    lineage.put(parentAndSelf());
                });
                middle.join();
                lineage.put(parentAndSelf());
            });
            assertTrue(top.join(java.time.Duration.ofSeconds(60)), "the processes did not end");
            assertEquals(0, top.exitCode().getAsInt());
            List<Long> bottom = lineage.get();
            List<Long> middle = lineage.get();
            List<Long> topSeen = lineage.get();
            assertEquals(List.of(bottom.get(0), middle.get(0), topSeen.get(0)),
                    List.of(middle.get(1), topSeen.get(1), ProcessHandle.current().pid()));
        }
    }
}
