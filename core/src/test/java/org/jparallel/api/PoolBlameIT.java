package org.jparallel.api;

import org.jparallel.testing.Await;
import org.jparallel.testing.Pools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.jparallel.testing.OnWorker.publish;
import static org.jparallel.testing.OnWorker.sleep;
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
 * Which element a dead or frozen worker is blamed on, and when its failure is known: real worker JVMs
 * that exit, or are SIGSTOPped. Conditions are polled with a deadline; nothing sleeps to synchronize.
 */
class PoolBlameIT {

    private static final List<Integer> EIGHT = IntStream.range(0, 8).boxed().collect(Collectors.toList());

    @TempDir
    Path dir;

    /** The failure of a map where the element 5 ends its worker (each time it runs), within 90 s. */
    private static WorkerException failure(WorkerPool pool, List<Integer> elements, int chunkSize) {
        return assertThrows(WorkerException.class, () -> assertTimeoutPreemptively(Duration.ofSeconds(90),
                () -> pool.map(x -> {
                    if (x == 5) {
                        System.exit(3);
                    }
                    return x * 10;
                }, elements, chunkSize)));
    }

    private static void assertOnlyFiveFailed(WorkerException e, int index) {
        // every element has a result or a failure: one failure means the others succeeded
        assertEquals(1, e.failures().size(), e.getMessage());
        TaskFailure f = e.failures().get(0);
        assertEquals(index, f.element(), f.summary());
        assertEquals("5", f.elementText(), f.summary());
        assertEquals(TaskFailure.Kind.WORKER_DIED, f.kind());
        assertEquals("the worker process exited with code 3", f.message());
    }

    @Test
    void systemExitInElementFiveOfAChunkBlamesOnlyElementFive() throws Exception {
        WorkerPool pool = Pools.start(2);
        try {
            // chunks [0..3] and [4..7]: element 4 had run and 6 and 7 had not when element 5 ended the worker
            assertOnlyFiveFailed(failure(pool, EIGHT, 4), 5);
            assertEquals(List.of(0, 10), pool.map(x -> x * 10, List.of(0, 1)));
        } finally {
            pool.terminate();
        }
    }

    @Test
    void tasksQueuedBehindTheDyingElementAreNotBlamed() throws Exception {
        WorkerPool pool = Pools.start(1);
        try {
            // two single-element tasks, both handed to the one worker at once, each time it starts: the
            // second waits behind 5 and never starts there, so it must run on the next worker, not fail
            assertOnlyFiveFailed(failure(pool, List.of(5, 6), 1), 0);
        } finally {
            pool.terminate();
        }
    }

    @Test
    void aFailureIsVisibleOnTheAsyncResultWhileOtherElementsStillRun() throws Exception {
        Path gate = dir.resolve("gate");
        Path waiting = dir.resolve("waiting");
        String gateText = gate.toString();
        String waitingText = waiting.toString();
        // three workers: element 1 kills the second and, retried, the third, while the first waits at the gate
        WorkerPool pool = Pools.start(3);
        try {
            AsyncResult<List<Integer>> result = pool.mapAsync(x -> {
                if (x == 1) {
                    System.exit(3);
                }
                publish(Path.of(waitingText), "waiting");
                while (!Files.exists(Path.of(gateText))) {
                    sleep(10);
                }
                return x;
            }, List.of(0, 1));
            Await.until("element 1 to be reported failed", READY, () -> !result.failures().isEmpty());
            assertFalse(result.ready(), "element 0 is still running");
            assertTrue(Files.exists(waiting) && !Files.exists(gate));
            TaskFailure f = result.failures().get(0);
            assertEquals(1, f.element());
            assertEquals(TaskFailure.Kind.WORKER_DIED, f.kind());
            Files.writeString(gate, "open");
            WorkerException e = assertThrows(WorkerException.class,
                    () -> assertTimeoutPreemptively(Duration.ofSeconds(60), () -> result.get()));
            assertEquals(List.of(f), e.failures());
        } finally {
            pool.terminate();
        }
    }

    @Test
    void aStoppedWorkerIsKilledAfterTheLivenessLimitAndItsTaskFailsNamingItsPidAndSilence() throws Exception {
        Path marker = dir.resolve("running");
        String markerText = marker.toString();
        WorkerPool pool;
        // the system property, read when a pool starts
        System.setProperty("jparallel.pool.livenessLimit", "4");
        try {
            pool = ready(WorkerPool.start(2));
        } finally {
            System.clearProperty("jparallel.pool.livenessLimit");
        }
        long stopped = 0;
        try {
            Set<Long> before = pids(pool);
            AsyncResult<Long> result = pool.applyAsync(() -> {
                publish(Path.of(markerText), Long.toString(ProcessHandle.current().pid()));
                while (true) {
                    sleep(10); // until the worker is stopped, and then killed
                }
            });
            Await.until("the task to start", READY, () -> Files.exists(marker));
            stopped = Long.parseLong(Files.readString(marker).trim());
            signal("STOP", stopped);
            WorkerException e = assertThrows(WorkerException.class,
                    () -> assertTimeoutPreemptively(Duration.ofSeconds(40), () -> result.get()));
            assertEquals(1, e.failures().size(), e.getMessage());
            TaskFailure f = e.failures().get(0);
            assertEquals(TaskFailure.Kind.WORKER_UNRESPONSIVE, f.kind(), f.summary());
            assertEquals(stopped, f.pid());
            assertTrue(f.message().startsWith("the worker stopped answering: nothing was heard from it for "), f.message());
            assertTrue(f.message().contains("(liveness limit 4.0 s); it was killed and replaced"), f.message());
            assertTrue(f.summary().startsWith("worker " + f.worker() + " (pid " + stopped + ")"), f.summary());
            long dead = stopped;
            Await.until("the stopped worker to be gone", Duration.ofSeconds(10), () -> gone(dead));
            Await.until("two idle workers, the stopped one replaced", READY, () -> pool.status().size() == 2
                    && pool.status().stream().allMatch(s -> s.state().equals("idle") && s.pid() != dead));
            assertTrue(before.contains(stopped));
            assertEquals(List.of(1, 4), pool.map(x -> x * x, List.of(1, 2)));
        } finally {
            if (stopped != 0 && !gone(stopped)) {
                signal("CONT", stopped);
            }
            pool.terminate();
        }
    }

    static void signal(String name, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -" + name + " " + pid);
    }
}
