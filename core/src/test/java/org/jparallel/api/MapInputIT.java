package org.jparallel.api;

import org.jparallel.testing.Await;
import org.jparallel.testing.NoSegmentsLeft;
import org.jparallel.testing.Pools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.jparallel.testing.Pools.READY;
import static org.jparallel.testing.Pools.gone;
import static org.jparallel.testing.Pools.pids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * How a pool reads the input of a map: an input that is no {@code Collection} is read as the workers
 * take it, with bounded memory, and an input that fails while being read fails the call with its own
 * exception; and how closing a pool treats a lazy stream that was left unread. Real worker JVMs; every
 * test checks that no worker process and no segment is left behind.
 */
@ExtendWith(NoSegmentsLeft.class)
class MapInputIT {

    /** More elements than any window of a pool of two holds, by a wide margin. */
    private static final long HUGE = 1_000_000;
    private static final long BOUND = 100_000;

    /** An input of {@code size} longs from 0 (endless if negative) that counts what was read. */
    private static Iterable<Long> counting(long size, AtomicLong read) {
        return () -> new Iterator<>() {
            @Override
            public boolean hasNext() {
                return size < 0 || read.get() < size;
            }

            @Override
            public Long next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return read.getAndIncrement();
            }
        };
    }

    /** Closes the pool within a deadline; if close() hangs, terminates it and fails. Then no worker is left. */
    private static void closeWithin(WorkerPool pool, Duration limit) throws InterruptedException {
        Set<Long> workers = pids(pool);
        Thread closer = new Thread(pool::close, "test-pool-closer");
        closer.start();
        closer.join(limit.toMillis());
        if (closer.isAlive()) {
            pool.terminate();
            closer.join(30_000);
            fail("close() did not return within " + limit.toSeconds() + " s");
        }
        pool.join();
        for (long pid : workers) {
            assertTrue(gone(pid), "worker pid " + pid + " outlived close()");
        }
    }

    // ---- item 3: an input is read as workers take it ----

    @Test
    void mapAsyncOverAHugeIterableReadsItAsTheWorkersTakeIt() throws Exception {
        AtomicLong read = new AtomicLong();
        WorkerPool pool = Pools.start(2);
        try (SharedEvent go = Shared.event()) {
            try {
                AsyncResult<List<Long>> doubled = pool.mapAsync(x -> {
                    go.await(Duration.ofSeconds(60));
                    return 2 * x;
                }, counting(HUGE, read));
                Await.until("both workers to hold a task", READY,
                        () -> pool.status().stream().filter(s -> s.state().equals("busy")).count() == 2);
                assertFalse(doubled.ready());
                assertTrue(read.get() < BOUND, "read " + read.get() + " of " + HUGE
                        + " elements while the workers were still on their first tasks");
                go.set();
                List<Long> results = doubled.get(Duration.ofSeconds(120));
                assertEquals(HUGE, results.size());
                assertEquals(HUGE, read.get());
                for (int i = 0; i < results.size(); i += 9_973) {
                    assertEquals(2L * i, results.get(i));
                }
            } finally {
                go.set();
            }
        } finally {
            closeWithin(pool, Duration.ofSeconds(30));
        }
    }

    @Test
    void anInputThatThrowsOrHoldsAnUnsendableElementMidMapFailsTheMapWithThatAndThePoolStaysUsable() throws Exception {
        WorkerPool pool = Pools.start(2);
        try {
            Iterable<Integer> breaks = () -> Stream.iterate(0, i -> i + 1).map(i -> {
                if (i == 5_000) {
                    throw new IllegalStateException("the source broke at " + i);
                }
                return i;
            }).iterator();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.map(x -> x + 1, breaks));
            assertEquals("the source broke at 5000", e.getMessage());
            AsyncResult<List<Integer>> async = pool.mapAsync(x -> x + 1, breaks);
            IllegalStateException asyncFailure = assertThrows(IllegalStateException.class,
                    () -> async.get(Duration.ofSeconds(60)));
            assertEquals("the source broke at 5000", asyncFailure.getMessage());
            Iterable<Object> unsendableAt3 = () -> Stream.<Object>of("a", "b", "c", new Thread(), "e").iterator();
            NotSendableException notSendable = assertThrows(NotSendableException.class, () -> pool.map(x -> x, unsendableAt3));
            assertEquals("element[3]", notSendable.path());
            assertEquals(List.of(2, 3), pool.map(x -> x + 1, List.of(1, 2)));
            Await.until("the workers to be idle", READY,
                    () -> pool.status().stream().allMatch(s -> s.state().equals("idle")));
        } finally {
            closeWithin(pool, Duration.ofSeconds(30));
        }
    }

    // ---- item 4: a lazy stream left unread does not hang close() ----

    @Test
    void closingAPoolWithAnAbandonedImapOverAnEndlessInputReturns() throws Exception {
        AtomicLong read = new AtomicLong();
        WorkerPool pool = Pools.start(2);
        Optional<Long> first = pool.<Long, Long>imap(x -> x * 3, counting(-1, read)).findFirst();
        assertEquals(Optional.of(0L), first);
        closeWithin(pool, Duration.ofSeconds(20));
        assertTrue(read.get() < BOUND, "read " + read.get() + " elements of an endless input");
    }

    @Test
    void closingAPoolWithAnAbandonedImapOverAShortInputReturns() throws Exception {
        WorkerPool pool = Pools.start(2);
        try (SharedEvent go = Shared.event()) {
            Optional<Integer> first = pool.<Integer, Integer>imap(x -> {
                if (x > 0) {
                    go.await(Duration.ofSeconds(60)); // still running when the pool is closed
                }
                return x;
            }, List.of(0, 1, 2, 3), 1).findFirst();
            assertEquals(Optional.of(0), first);
            closeWithin(pool, Duration.ofSeconds(20));
        }
    }

    @Test
    void aReaderOfAnImapThatTheCloseDiscardedIsToldSoAfterTheResultsItHad() throws Exception {
        AtomicLong read = new AtomicLong();
        WorkerPool pool = Pools.start(2);
        Iterator<Long> results = pool.<Long, Long>imap(x -> x, counting(-1, read), 1).iterator();
        assertEquals(0L, results.next());
        closeWithin(pool, Duration.ofSeconds(20));
        long taken = 1;
        CancellationException e = null;
        try {
            while (taken < HUGE) {
                assertEquals(taken, results.next(), "results in order up to the discarded ones");
                taken++;
            }
        } catch (CancellationException thrown) {
            e = thrown;
        }
        assertTrue(e != null, "the reader of a discarded imap read " + taken + " results and no error");
        assertTrue(e.getMessage().contains("the pool was closed"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> pool.map(x -> x, List.of(1)));
    }
}
