package org.jparallel.api;

import org.jparallel.testing.Await;
import org.jparallel.testing.Pools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.jparallel.testing.OnWorker.sleep;
import static org.jparallel.testing.Pools.READY;
import static org.jparallel.testing.Pools.gone;
import static org.jparallel.testing.Pools.pids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What {@link WorkerPool#terminate()} does to calls still pending: every one ends, with a
 * {@link WorkerException} whose failures say the pool was terminated, whichever thread waits for it and
 * however it waits (an {@link AsyncResult}, a blocked {@code apply}, a lazy stream being read). The tasks
 * here sleep for a minute, so none finishes on its own: every element is one the termination ended.
 */
class PoolTerminateIT {

    private static final String TERMINATED = "the pool was terminated";

    private static boolean bothBusy(WorkerPool pool) {
        return pool.status().stream().filter(s -> s.state().equals("busy")).count() == 2;
    }

    /** Terminates, joins, and checks that no worker process is left. */
    private static void terminate(WorkerPool pool, Set<Long> workers) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), pool::terminate);
        assertTimeoutPreemptively(Duration.ofSeconds(20), pool::join);
        for (long pid : workers) {
            assertTrue(gone(pid), "worker pid " + pid + " outlived terminate()");
        }
    }

    /** A map of minute-long tasks, returned once both workers hold some of them. */
    private static AsyncResult<List<Integer>> sleepingMap(WorkerPool pool, List<Integer> xs) {
        AsyncResult<List<Integer>> r = pool.mapAsync(x -> {
            sleep(60_000);
            return x;
        }, xs);
        Await.until("both workers to hold tasks", READY, () -> bothBusy(pool));
        return r;
    }

    /** Runs {@code call} on a thread of its own; completes with what it threw (null for nothing) once it ends. */
    private static CompletableFuture<Throwable> onAnotherThread(String name, Executable call) {
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                call.execute();
                thrown.complete(null);
            } catch (Throwable t) {
                thrown.complete(t);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thrown;
    }

    /** 0, 1, 2 … for ever, counting what was read. */
    private static Iterable<Long> endless(AtomicLong read) {
        return () -> Stream.iterate(0L, x -> x + 1).peek(x -> read.incrementAndGet()).iterator();
    }

    private static <T> T within30s(Supplier<T> call) {
        return assertTimeoutPreemptively(Duration.ofSeconds(30), call::get);
    }

    @Test
    void terminateFailsEveryPendingElementOfAnAsyncMapAndRunsItsErrorCallback() throws Exception {
        WorkerPool pool = Pools.start(2);
        Set<Long> workers = pids(pool);
        AsyncResult<List<Integer>> r = sleepingMap(pool, IntStream.range(0, 40).boxed().collect(Collectors.toList()));
        CompletableFuture<Throwable> erred = new CompletableFuture<>();
        r.onError(erred::complete);
        terminate(pool, workers);

        assertTrue(r.ready());
        assertFalse(r.successful());
        WorkerException e = assertThrows(WorkerException.class, () -> r.get(Duration.ofSeconds(5)));
        assertEquals(40, e.failures().size(), e.getMessage());
        int held = 0;
        for (int i = 0; i < 40; i++) {
            TaskFailure f = e.failures().get(i);
            assertEquals(TaskFailure.Kind.CANCELLED, f.kind());
            assertEquals(i, f.element());
            assertEquals(TERMINATED, f.message());
            if (f.worker() >= 0) {
                held++;
                assertTrue(workers.contains(f.pid()), f.toString());
                assertEquals("worker " + f.worker() + " (pid " + f.pid() + "), element " + i + " (= " + i + "): "
                        + TERMINATED, f.summary());
            } else {
                assertEquals("element " + i + " (= " + i + "): " + TERMINATED, f.summary());
            }
        }
        assertTrue(held >= 2, "the elements the workers held name them: " + e.getMessage());
        assertTrue(e.getMessage().startsWith("40 elements failed\n"), e.getMessage());
        assertInstanceOf(WorkerException.class, erred.get(10, TimeUnit.SECONDS));
    }

    @Test
    void terminateEndsABlockedApplyAndPendingApplyAsyncCalls() throws Exception {
        WorkerPool pool = Pools.start(2);
        Set<Long> workers = pids(pool);
        CompletableFuture<Throwable> blocked = onAnotherThread("apply-caller", () -> pool.apply(() -> {
            sleep(60_000);
            return 1;
        }));
        // the apply must be in flight before terminate, or it would meet a closed pool instead
        Await.until("a worker to hold the apply", READY, () -> pool.status().stream().anyMatch(s -> s.state().equals("busy")));
        List<AsyncResult<Integer>> pending = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            pending.add(pool.applyAsync(x -> {
                sleep(60_000);
                return x;
            }, i));
        }
        Await.until("both workers to hold tasks", READY, () -> bothBusy(pool));
        terminate(pool, workers);

        WorkerException applied = assertInstanceOf(WorkerException.class, blocked.get(30, TimeUnit.SECONDS));
        TaskFailure call = applied.failures().get(0);
        assertEquals(-1, call.element());
        assertEquals(TaskFailure.Kind.CANCELLED, call.kind());
        assertTrue(applied.getMessage().startsWith("the call failed\n  "), applied.getMessage());
        assertTrue(call.summary().endsWith(TERMINATED) && !call.summary().contains("null"), call.summary());
        for (int i = 0; i < pending.size(); i++) {
            AsyncResult<Integer> r = pending.get(i);
            WorkerException e = assertThrows(WorkerException.class, () -> r.get(Duration.ofSeconds(5)));
            TaskFailure f = e.failures().get(0);
            assertEquals(TERMINATED, f.message());
            assertEquals(-1, f.element());
            assertTrue(f.summary().endsWith("argument " + i + ": " + TERMINATED), f.summary());
        }
    }

    @Test
    void aLazyStreamReadOnAnotherThreadEndsWithTheTerminationAndReadsNoMoreInput() throws Exception {
        WorkerPool pool = Pools.start(2);
        Set<Long> workers = pids(pool);
        AtomicLong read = new AtomicLong();
        CompletableFuture<Throwable> reader = onAnotherThread("imap-reader", () -> {
            try (Stream<Long> results = pool.imap(x -> {
                sleep(60_000);
                return x;
            }, endless(read), 1)) {
                results.forEach(x -> fail("a result came back: " + x));
            }
        });
        Await.until("both workers to hold tasks", READY, () -> bothBusy(pool));
        terminate(pool, workers);

        WorkerException e = assertInstanceOf(WorkerException.class, reader.get(30, TimeUnit.SECONDS));
        TaskFailure first = e.failures().get(0);
        assertEquals(0, first.element());
        assertEquals(TERMINATED, first.message());
        long readThen = read.get();
        assertTrue(readThen < 10_000, "read " + readThen + " elements of an endless input");
    }

    @Test
    void aLazyStreamWhoseResultsWereAllReadyEndsWithTheTerminationNotSilently() throws Exception {
        WorkerPool pool = Pools.start(2);
        Set<Long> workers = pids(pool);
        AtomicLong read = new AtomicLong();
        Iterator<Long> results = pool.<Long, Long>imap(x -> x, endless(read), 1).iterator();
        assertEquals(0L, within30s(results::next));
        terminate(pool, workers);

        // what came back before the termination is there, then each element it ended fails, then the rest
        // of the input does, as one failure; and then the stream ends
        List<TaskFailure> failures = new ArrayList<>();
        long taken = 1;
        while (true) {
            try { // a stream's iterator takes the next result in hasNext(), so either may throw
                if (!within30s(results::hasNext)) {
                    break;
                }
                assertEquals(taken, results.next());
            } catch (WorkerException e) {
                assertEquals(taken, e.failures().get(0).element());
                failures.add(e.failures().get(0));
            }
            taken++;
        }
        assertFalse(failures.isEmpty());
        TaskFailure rest = failures.get(failures.size() - 1);
        long sent = rest.element();
        assertEquals(sent + 1, taken, "one result or failure per element sent, then the rest");
        assertEquals(TERMINATED + " before the rest of the input, from element " + sent + " on, was read",
                rest.summary());
        assertTrue(read.get() <= sent + 1, "read " + read.get() + " elements, sent " + sent);
        for (TaskFailure f : failures.subList(0, failures.size() - 1)) {
            assertEquals(TERMINATED, f.message());
        }
    }

    @Test
    void terminateWhileCloseWaitsEndsBoth() throws Exception {
        WorkerPool pool = Pools.start(2);
        Set<Long> workers = pids(pool);
        AsyncResult<List<Integer>> r = sleepingMap(pool, List.of(1, 2, 3));
        CompletableFuture<Throwable> closer = onAnotherThread("closer", pool::close);
        terminate(pool, workers);
        assertEquals(null, closer.get(30, TimeUnit.SECONDS), "close() failed");
        WorkerException e = assertThrows(WorkerException.class, () -> r.get(Duration.ofSeconds(5)));
        assertEquals(3, e.failures().size(), e.getMessage());
        assertThrows(IllegalStateException.class, () -> pool.map(x -> x, List.of(1)));
    }
}
