package org.jparallel.api;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Starts and kills many pools in a row. Every worker of every pool must say hello and run a task
 * quickly — a first message lost on a fresh connection would leave a worker starting for ever — and
 * no worker may outlive {@code terminate()}.
 */
class RepeatedPoolStartIT {

    @Test
    void everyWorkerOfManyPoolsComesUpAndDiesWithItsPool() {
        for (int i = 0; i < 15; i++) {
            String which = "pool " + i;
            WorkerPool pool = WorkerPool.start(2);
            List<Long> pids;
            try {
                List<Integer> squares = assertTimeoutPreemptively(Duration.ofSeconds(10),
                        () -> pool.awaitReady().map((Integer x) -> x * x, List.of(1, 2, 3, 4)), which);
                assertEquals(List.of(1, 4, 9, 16), squares, which);
            } finally {
                pids = pool.status().stream().map(WorkerStatus::pid).toList();
                pool.terminate();
            }
            for (long pid : pids) {
                assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                        which + ": worker " + pid + " outlived terminate()");
            }
        }
    }
}
