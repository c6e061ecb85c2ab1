package org.jparallel.api;

import org.jparallel.testing.PoolPerClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CPython's {@code _TestQueue}, {@code TestSimpleQueue} and the queue cases of {@code TestSyncManagerTypes},
 * ported to {@link SharedQueue}, {@link SharedJoinableQueue} and {@link SharedSimpleQueue} between this JVM
 * and the two workers of one shared POOL.get(). Nothing is left in /dev/shm. See docs/cpython-checklist.md.
 */
class CPythonQueueIT {

    private static final Duration LIMIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final PoolPerClass POOL = new PoolPerClass(2);

    @Test // test_put
    void putFillsAQueueOfMaxsizeAndRefusesMoreUntilAWorkerTakesItems() throws Exception {
        try (SharedQueue<Integer> queue = Shared.queue(6); SharedEvent childCanStart = Shared.event()) {
            AsyncResult<Integer> child = POOL.get().applyAsync(() -> {
                childCanStart.await(LIMIT);
                int sum = 0;
                for (int i = 0; i < 6; i++) {
                    sum += queue.get(LIMIT);
                }
                return sum;
            });
            assertTrue(queue.isEmpty());
            assertFalse(queue.isFull());
            queue.put(1);
            queue.put(2, LIMIT);
            assertTrue(queue.offer(3));
            assertTrue(queue.offer(4, LIMIT));
            queue.put(5);
            queue.put(6, Duration.ZERO);
            assertFalse(queue.isEmpty());
            assertTrue(queue.isFull());
            assertEquals(6, queue.size());

            assertFalse(queue.offer(7));
            assertFalse(queue.offer(7, Duration.ofMillis(100)));
            assertThrows(QueueFullException.class, () -> queue.put(7, Duration.ZERO));
            assertThrows(QueueFullException.class, () -> queue.put(7, Duration.ofMillis(100)));
            assertEquals(6, queue.size(), "a refused put adds nothing");

            childCanStart.set();
            assertEquals(21, child.get(LIMIT));
            assertTrue(queue.isEmpty());
            assertFalse(queue.isFull());
        }
    }

    @Test // test_get
    void getTakesWhatAWorkerPutAndTimesOutWhenNothingIsLeft() throws Exception {
        try (SharedQueue<Integer> queue = Shared.queue(); SharedEvent childCanStart = Shared.event()) {
            AsyncResult<Integer> child = POOL.get().applyAsync(() -> {
                childCanStart.await(LIMIT);
                for (int i = 2; i <= 5; i++) {
                    queue.put(i);
                }
                return 0;
            });
            assertTrue(queue.isEmpty());
            childCanStart.set();
            child.get(LIMIT);
            assertFalse(queue.isEmpty());
            assertEquals(2, queue.get());
            assertEquals(3, queue.get(LIMIT));
            assertEquals(4, queue.poll(LIMIT));
            assertEquals(5, queue.poll());
            assertTrue(queue.isEmpty());

            assertNull(queue.poll());
            assertNull(queue.poll(Duration.ofMillis(100)));
            assertThrows(QueueEmptyException.class, () -> queue.get(Duration.ZERO));
            assertThrows(QueueEmptyException.class, () -> queue.get(Duration.ofMillis(100)));
        }
    }

    @Test // test_timeout (bpo-30317): a timed get waits about its timeout before it gives up
    void aTimedGetWaitsItsTimeoutBeforeItFails() {
        try (SharedQueue<Integer> queue = Shared.queue()) {
            long start = System.nanoTime();
            assertThrows(QueueEmptyException.class, () -> queue.get(Duration.ofMillis(200)));
            long waited = System.nanoTime() - start;
            assertTrue(waited >= Duration.ofMillis(100).toNanos(), "gave up after " + waited / 1_000_000 + " ms");
        }
    }

    @Test // test_fork: what a worker puts comes after what the caller put before, and nothing more
    void itemsPutByTheCallerThenByAWorkerComeOutInThatOrder() throws Exception {
        try (SharedQueue<Integer> queue = Shared.queue()) {
            for (int i = 0; i < 10; i++) {
                queue.put(i);
            }
            POOL.get().applyAsync(() -> {
                for (int i = 10; i < 20; i++) {
                    queue.put(i);
                }
                return 0;
            }).get(LIMIT);
            for (int i = 0; i < 20; i++) {
                assertEquals(i, queue.get(LIMIT));
            }
            assertNull(queue.poll());
        }
    }

    @Test // test_qsize
    void sizeCountsTheItemsIn() {
        try (SharedQueue<Integer> queue = Shared.queue()) {
            assertEquals(0, queue.size());
            queue.put(1);
            assertEquals(1, queue.size());
            queue.put(5);
            assertEquals(2, queue.size());
            queue.get();
            assertEquals(1, queue.size());
            queue.get();
            assertEquals(0, queue.size());
        }
    }

    @Test // test_task_done
    void joinReturnsOnceTheWorkersMarkedEveryItemDone() throws Exception {
        try (SharedJoinableQueue<Integer> queue = Shared.joinableQueue(); SharedLong total = Shared.longValue(0)) {
            AsyncResult<List<Integer>> consumers = POOL.get().mapAsync(w -> {
                int done = 0;
                for (int item = queue.get(LIMIT); item >= 0; item = queue.get(LIMIT)) {
                    total.addAndGet(item);
                    queue.taskDone();
                    done++;
                }
                queue.taskDone(); // the end mark
                return done;
            }, List.of(0, 1));
            for (int i = 0; i < 10; i++) {
                queue.put(i);
            }
            assertTrue(queue.join(LIMIT), "unfinished: " + queue.unfinishedTasks());
            assertEquals(45, total.get(), "every item was taken before join returned");
            queue.put(-1);
            queue.put(-1);
            assertEquals(10, consumers.get(LIMIT).stream().mapToInt(Integer::intValue).sum());
            assertTrue(queue.join(Duration.ZERO));
            assertThrows(IllegalStateException.class, queue::taskDone, "more task_done() than items");
        }
    }

    /** Something no queue can carry: it holds a thread. */
    record NotSerializable(Thread thread) {
    }

    @Test // test_queue_feeder_donot_stop_onexc (bpo-30414, bpo-33078) and test_queue_feeder_on_queue_feeder_error
    void anUnsendableItemTakesNoPlaceAndTheQueueCarriesOnInAWorker() throws Exception {
        try (SharedQueue<Object> queue = Shared.queue(1)) {
            String refused = POOL.get().applyAsync(() -> {
                try {
                    queue.put(new NotSerializable(Thread.currentThread()), Duration.ZERO);
                    return "put";
                } catch (NotSendableException e) {
                    queue.put(true, Duration.ZERO); // the failed put took no place: a queue of one has room
                    return e.path();
                }
            }).get(LIMIT);
            assertEquals("item.thread", refused);
            assertEquals(1, queue.size());
            assertEquals(true, queue.get(LIMIT));
            assertTrue(queue.isEmpty());
        }
    }

    @Test // test_closed_queue_put_get_exceptions and TestSimpleQueue.test_close: close twice is fine, use is not
    void aClosedQueueMayBeClosedAgainButNotUsed() {
        SharedSimpleQueue<String> simple = Shared.simpleQueue();
        SharedJoinableQueue<String> joinable = Shared.joinableQueue();
        for (SharedSimpleQueue<String> q : List.of(simple, joinable)) {
            q.close();
            q.close();
            assertTrue(q.isClosed());
            IllegalStateException put = assertThrows(IllegalStateException.class, () -> q.put("foo"));
            assertTrue(put.getMessage().contains("closed"), put.getMessage());
            assertThrows(IllegalStateException.class, q::get);
            assertThrows(IllegalStateException.class, q::isEmpty);
        }
    }

    @Test // TestSimpleQueue.test_empty (issue 30301)
    void aSimpleQueueIsEmptyUntilAWorkerPutsWhatItSawThere() throws Exception {
        try (SharedSimpleQueue<Boolean> queue = Shared.simpleQueue()) {
            assertTrue(queue.isEmpty());
            POOL.get().applyAsync(() -> {
                queue.put(queue.isEmpty());
                queue.put(queue.isEmpty());
                return 0;
            }).get(LIMIT);
            assertFalse(queue.isEmpty());
            assertEquals(true, queue.get());
            assertEquals(false, queue.get());
            assertTrue(queue.isEmpty());
        }
    }

    @Test // TestSyncManagerTypes.test_queue and test_joinable_queue: a worker sees the caller's items and size
    void aWorkerSeesTheSizeFullnessAndItemsTheCallerPut() throws Exception {
        for (SharedQueue<Integer> queue : new ArrayList<SharedQueue<Integer>>(List.of(Shared.queue(2), Shared.joinableQueue(2)))) {
            try (queue) {
                queue.put(5);
                queue.put(6);
                String seen = POOL.get().applyAsync(() -> {
                    String s = queue.size() + " " + queue.isFull() + " " + queue.isEmpty() + " " + queue.get();
                    s += " " + queue.isEmpty() + " " + queue.get() + " " + queue.isEmpty();
                    return s;
                }).get(LIMIT);
                assertEquals("2 true false 5 false 6 true", seen);
                assertTrue(queue.isEmpty());
                assertFalse(queue.isFull());
            }
        }
    }
}
