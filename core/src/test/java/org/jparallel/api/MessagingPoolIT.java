package org.jparallel.api;

import org.jparallel.testing.PoolPerClass;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Queues and pipes between this JVM and real worker JVMs (a {@link WorkerPool} and {@link WorkerProcess}es):
 * producers and consumers on either side, a full queue, an unsendable item, a producer killed while it puts,
 * a pipe between two processes — and nothing left in /dev/shm by any of them.
 */
class MessagingPoolIT {

    private static final long PID = ProcessHandle.current().pid();
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final PoolPerClass POOL = new PoolPerClass(2);
    private final List<WorkerProcess> processes = new ArrayList<>();

    record Reading(String sensor, double value) {
    }

    /** Ends the processes a test started; the pool's check covers them with its workers. */
    @AfterEach
    void killStarted() throws InterruptedException {
        for (WorkerProcess p : processes) {
            p.kill();
            assertTrue(p.join(LIMIT));
            POOL.alsoCheck(p.pid());
        }
    }

    private WorkerProcess started(SerialRunnable target) {
        WorkerProcess p = WorkerProcess.start(target);
        processes.add(p);
        return p;
    }

    private static void assertExitsWithZero(WorkerProcess p) throws InterruptedException {
        assertTrue(p.join(LIMIT), p + " still running");
        assertEquals(0, p.exitCode().orElseThrow(), () -> String.valueOf(p.failure()));
    }

    @Test
    void aPoolTaskProducesAndTheCallerConsumes() throws InterruptedException {
        try (SharedQueue<Reading> readings = Shared.queue()) {
            AsyncResult<Long> producer = POOL.get().applyAsync(() -> {
                for (int i = 0; i < 1000; i++) {
                    readings.put(new Reading("s" + i % 3, i / 2.0));
                }
                return ProcessHandle.current().pid();
            });
            for (int i = 0; i < 1000; i++) {
                assertEquals(new Reading("s" + i % 3, i / 2.0), readings.get(LIMIT));
            }
            assertFalse(producer.get() == PID, "produced in a worker");
        }
    }

    @Test
    void twoWorkerProcessesTalkThroughAQueueMadeHere() throws Exception {
        try (SharedQueue<Integer> work = Shared.queue(16); SharedQueue<Long> results = Shared.queue()) {
            WorkerProcess consumer = started(() -> {
                long sum = 0;
                for (Integer x = work.get(); x >= 0; x = work.get()) {
                    sum += x;
                }
                results.put(sum);
            });
            WorkerProcess producer = started(() -> {
                for (int i = 0; i < 10_000; i++) {
                    work.put(i);
                }
                work.put(-1);
            });
            assertEquals(49_995_000L, results.get(LIMIT));
            assertExitsWithZero(producer);
            assertExitsWithZero(consumer);
        }
    }

    @Test
    void aQueueMadeByAWorkerComesBackByReference() {
        SharedQueue<String> fromWorker = POOL.get().apply(() -> {
            SharedQueue<String> q = Shared.queue();
            q.put("made in " + ProcessHandle.current().pid());
            return q;
        });
        assertTrue(fromWorker.get(LIMIT).startsWith("made in "));
        fromWorker.put("back");
        assertEquals("back", POOL.get().apply(fromWorker::get));
        fromWorker.close(); // only forgets this copy: the worker made it
    }

    @Test
    void aPutOnAFullQueueWaitsUntilTheCallerTakesAnItem() throws InterruptedException {
        try (SharedQueue<Integer> q = Shared.queue(2)) {
            AsyncResult<Integer> producer = POOL.get().applyAsync(() -> {
                for (int i = 0; i < 5; i++) {
                    q.put(i);
                }
                return 5;
            });
            assertTimeoutPreemptively(LIMIT, () -> {
                while (!q.isFull()) {
                    Thread.onSpinWait();
                }
            });
            assertFalse(q.offer(99), "full: two items, and the worker waits to put the third");
            assertFalse(producer.ready(), "it cannot finish while only two of five items fit");
            for (int i = 0; i < 5; i++) {
                assertEquals(i, q.get(LIMIT));
                assertTrue(q.size() <= 2);
            }
            assertEquals(5, producer.get());
        }
    }

    @Test
    void anUnsendableItemIsRefusedAtPutInTheWorkerAndTheQueueStaysUsable() {
        try (SharedQueue<Object> q = Shared.queue()) {
            String refused = POOL.get().apply(() -> {
                try {
                    q.put(List.of("fine", Thread.currentThread()));
                    return "put";
                } catch (NotSendableException e) {
                    q.put("after the refusal");
                    return e.path();
                }
            });
            assertEquals("item[1]", refused);
            assertEquals("after the refusal", q.get(LIMIT));
            assertNull(q.poll());
        }
    }

    @Test
    void aProducerKilledWhileItPutsLeavesTheQueueUsable() throws Exception {
        try (SharedQueue<Integer> q = Shared.queue(10)) {
            WorkerProcess producer = started(() -> {
                for (int i = 0; ; i++) {
                    q.put(i);
                }
            });
            int expected = 0;
            for (; expected < 1000; expected++) { // it streams: kill it in the middle
                assertEquals(expected, q.get(LIMIT));
            }
            producer.kill();
            assertTrue(producer.join(LIMIT));
            for (Integer x = q.poll(); x != null; x = q.poll()) {
                assertEquals(expected++, x, "whole items, in order, up to where it died");
            }
            q.put(-1);
            q.put(-2);
            assertEquals(List.of(-1, -2), List.of(q.get(), q.get()));
        }
    }

    @Test
    void twoWorkerProcessesPlayPingPongThroughAPipe() throws Exception {
        try (SharedPipe<Integer> pipe = Shared.pipe(); SharedQueue<Integer> result = Shared.queue()) {
            SharedConnection<Integer> left = pipe.first();
            SharedConnection<Integer> right = pipe.second();
            WorkerProcess echo = started(() -> {
                try {
                    while (true) {
                        right.send(right.recv() + 1);
                    }
                } catch (PipeClosedException e) {
                    right.close();
                }
            });
            WorkerProcess player = started(() -> {
                int x = 0;
                for (int round = 0; round < 1000; round++) {
                    left.send(x);
                    x = left.recv();
                }
                left.close();
                result.put(x);
            });
            assertEquals(1000, result.get(LIMIT));
            assertExitsWithZero(player);
            assertExitsWithZero(echo); // it saw the end of the pipe
            assertTrue(right.isClosed() && left.isClosed());
        }
    }
}
