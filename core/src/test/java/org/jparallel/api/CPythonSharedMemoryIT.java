package org.jparallel.api;

import org.jparallel.internal.shm.SharedMemory;
import org.jparallel.testing.Await;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CPython's {@code _TestSharedMemory.test_shared_memory_cleaned_after_process_termination} and
 * {@code TestResourceTracker.test_resource_tracker}: what a process created in shared memory (segments,
 * locks, semaphores, queues: all segments here) is deleted when the process is terminated. See
 * docs/cpython-checklist.md.
 */
class CPythonSharedMemoryIT {

    private static final Duration LIMIT = Duration.ofSeconds(60);

    @Test // test_shared_memory_cleaned_after_process_termination and test_resource_tracker (SIGTERM)
    void whatATerminatedProcessCreatedIsDeleted() throws Exception {
        try (SharedEvent created = Shared.event(); SharedEvent never = Shared.event()) {
            WorkerProcess p = WorkerProcess.start(() -> {
                SharedIntArray array = Shared.intArray(10);
                SharedLock lock = Shared.lock();
                SharedSemaphore semaphore = Shared.semaphore(1);
                SharedQueue<String> queue = Shared.queue();
                array.set(0, 1);
                lock.acquire();
                semaphore.acquire();
                queue.put("password=hunter2");
                created.set();
                never.await(LIMIT);
            });
            try {
                assertTrue(created.await(LIMIT));
                assertEquals(4, SharedMemory.segmentsCreatedBy(p.pid()).size(), SharedMemory.segmentsCreatedBy(p.pid())::toString);
                p.terminate();
                assertTrue(p.join(LIMIT));
                assertEquals(-15, p.exitCode().orElseThrow());
                Await.until("the terminated process's segments to be deleted", Duration.ofSeconds(10),
                        () -> SharedMemory.segmentsCreatedBy(p.pid()).isEmpty());
            } finally {
                p.kill();
                p.join(LIMIT);
            }
        }
        assertEquals(List.of(), SharedMemory.segmentsCreatedBy(ProcessHandle.current().pid()));
    }

    @Test // test_shared_memory_pickle_unpickle_dead_object: what its creator released cannot be attached
    void anObjectReleasedWhileInAQueueCannotBeTakenOutByAnotherProcess() throws Exception {
        SharedIntArray array = Shared.intArray(10);
        try (SharedQueue<SharedIntArray> queue = Shared.queue()) {
            queue.put(array);
            array.close();
            WorkerProcess p = WorkerProcess.start(() -> queue.get(LIMIT).set(0, 42));
            assertTrue(p.join(LIMIT));
            assertEquals(1, p.exitCode().orElseThrow(), "the process used memory its creator had released");
            TaskFailure f = p.failure().orElseThrow();
            assertTrue(f.message().contains("no longer exists"), f.summary());
            assertEquals(NotReceivableException.class.getName(), f.exceptionClass(), "a user sees a public exception type: " + f.summary());
        }
        assertEquals(List.of(), SharedMemory.segmentsCreatedBy(ProcessHandle.current().pid()));
    }
}
