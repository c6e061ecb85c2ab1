package org.jparallel.api;

import org.jparallel.testing.Await;
import org.jparallel.testing.PoolPerClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.jparallel.testing.Pools.pids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CPython's {@code _TestPool} and {@code _TestPoolWorkerErrors} ({@code Lib/test/_test_multiprocessing.py}),
 * ported to one shared {@link WorkerPool} of two workers. Each method names the CPython case it ports; the
 * cases that need a POOL.get() of their own are in {@link CPythonPoolLifetimeIT}. See docs/cpython-checklist.md.
 */
class CPythonPoolIT {

    private static final Duration LIMIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final PoolPerClass POOL = new PoolPerClass(2);

    private static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().collect(Collectors.toList());
    }

    private static List<Integer> squares(int n) {
        return IntStream.range(0, n).map(x -> x * x).boxed().collect(Collectors.toList());
    }

    /** CPython's {@code SayWhenError}: what the input iterator throws. */
    static final class SayWhenError extends IllegalArgumentException {
        SayWhenError() {
            super("Somebody said when");
        }
    }

    /** CPython's {@code exception_throwing_generator(total, when)}: 0, 1 … {@code total - 1}, throwing at {@code when} (-1: at once). */
    private static Iterable<Integer> throwingAt(int total, int when) {
        return () -> new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < total;
            }

            @Override
            public Integer next() {
                if (when == -1 || next == when) {
                    throw new SayWhenError();
                }
                return next++;
            }
        };
    }

    /** Something that cannot be sent: it holds a thread. */
    record Unsendable(Thread thread) {
    }

    // ---- apply, map, starmap, async ----

    @Test // test_apply
    void applyRunsOneCallWithAndWithoutArgument() {
        assertEquals(25, POOL.get().<Integer, Integer>apply(x -> x * x, 5));
        int x = 3;
        assertEquals(9, POOL.get().<Integer>apply(() -> x * x));
    }

    @Test // test_map
    void mapKeepsInputOrderWithAndWithoutChunkSize() {
        assertEquals(squares(10), POOL.get().<Integer, Integer>map(x -> x * x, range(10)));
        assertEquals(squares(100), POOL.get().<Integer, Integer>map(x -> x * x, range(100), 20));
    }

    @Test // test_starmap
    void starmapAppliesATwoArgumentFunctionToEachPair() {
        List<Map.Entry<Integer, Integer>> pairs = IntStream.range(0, 100)
                .mapToObj(i -> Map.entry(i, 99 - i)).collect(Collectors.toList());
        List<Integer> expected = pairs.stream().map(p -> p.getKey() * p.getValue()).collect(Collectors.toList());
        assertEquals(expected, POOL.get().<Integer, Integer, Integer>starmap((a, b) -> a * b, pairs));
    }

    @Test // test_map_async
    void mapAsyncReturnsTheResultsThroughGet() throws Exception {
        assertEquals(squares(10), POOL.get().<Integer, Integer>mapAsync(x -> x * x, range(10)).get(LIMIT));
    }

    @Test // test_map_async_callbacks
    void mapAsyncRunsTheSuccessOrTheErrorCallbackNeverBoth() throws Exception {
        CompletableFuture<Object> first = new CompletableFuture<>();
        AsyncResult<List<Integer>> ok = POOL.get().<String, Integer>mapAsync(Integer::parseInt, List.of("1"));
        ok.onSuccess(first::complete).onError(first::complete).waitFor();
        assertEquals(List.of(1), first.get(10, TimeUnit.SECONDS));

        CompletableFuture<Object> second = new CompletableFuture<>();
        AsyncResult<List<Integer>> bad = POOL.get().<String, Integer>mapAsync(Integer::parseInt, List.of("a"));
        bad.onSuccess(second::complete).onError(second::complete).waitFor();
        WorkerException e = assertInstanceOf(WorkerException.class, second.get(10, TimeUnit.SECONDS));
        assertEquals(NumberFormatException.class.getName(), e.failures().get(0).exceptionClass());
    }

    @Test // test_async
    void applyAsyncGetReturnsTheResult() throws Exception {
        AsyncResult<Integer> r = POOL.get().applyAsync(x -> x * x, 7);
        assertEquals(49, r.get(LIMIT));
        assertTrue(r.ready());
        assertTrue(r.successful());
    }

    @Test // test_async_timeout
    void applyAsyncGetWithATimeoutGivesUpWhileTheTaskRuns() throws Exception {
        try (SharedEvent release = Shared.event()) {
            AsyncResult<Integer> r = POOL.get().applyAsync(x -> release.await(LIMIT) ? x * x : -1, 6);
            assertThrows(TimeoutException.class, () -> r.get(Duration.ofMillis(100)));
            assertFalse(r.ready());
            release.set();
            assertEquals(36, r.get(LIMIT), "the task went on after the caller stopped waiting");
        }
    }

    // ---- unsendable values ----

    @Test // test_map_unplicklable (#19425): failure to pickle must not hang
    void mapOfTenUnsendableElementsFailsAtOnceAndThePoolStaysUsable() {
        Unsendable a = new Unsendable(Thread.currentThread());
        List<Unsendable> xs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            xs.add(a);
        }
        assertTimeoutPreemptively(LIMIT, () -> assertThrows(NotSendableException.class,
                () -> POOL.get().map(u -> 1, xs)));
        assertEquals(squares(4), POOL.get().<Integer, Integer>map(x -> x * x, range(4)));
    }

    @Test // _TestPoolWorkerErrors.test_unpickleable_result: no worker is lost to encoding errors
    void twentyUnsendableResultsFailTheirCallsRunTheErrorCallbackAndKillNoWorker() throws Exception {
        Set<Long> before = pids(POOL.get());
        for (int i = 0; i < 20; i++) {
            CompletableFuture<Throwable> erred = new CompletableFuture<>();
            AsyncResult<Unsendable> r = POOL.get().applyAsync(() -> new Unsendable(Thread.currentThread()));
            r.onError(erred::complete);
            WorkerException e = assertThrows(WorkerException.class, () -> r.get(LIMIT));
            assertEquals(TaskFailure.Kind.NOT_SENDABLE, e.failures().get(0).kind(), e.getMessage());
            assertSame(e, erred.get(10, TimeUnit.SECONDS));
        }
        assertEquals(before, pids(POOL.get()));
    }

    // ---- inputs: empty, throwing ----

    @Test // test_map_chunksize (map_async with chunksize stalled on an empty list) and test_empty_iterable (#12157)
    void everyKindOfMapOverAnEmptyInputReturnsNothingAtOnce() throws Exception {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertEquals(List.of(), POOL.get().map(x -> x, List.of(), 1));
            assertEquals(List.of(), POOL.get().map(x -> x, List.of()));
            assertEquals(List.of(), POOL.get().mapAsync(x -> x, List.of()).get(Duration.ofSeconds(5)));
            try (Stream<Object> s = POOL.get().imap(x -> x, List.of())) {
                assertEquals(List.of(), s.collect(Collectors.toList()));
            }
            try (Stream<Object> s = POOL.get().imap(x -> x, List.of(), 1)) {
                assertEquals(List.of(), s.collect(Collectors.toList()));
            }
            try (Stream<Object> s = POOL.get().imapUnordered(x -> x, List.of())) {
                assertEquals(List.of(), s.collect(Collectors.toList()));
            }
            assertEquals(List.of(), POOL.get().starmap((Integer a, Integer b) -> a + b, List.<Map.Entry<Integer, Integer>>of()));
        });
    }

    @Test // test_map_handle_iterable_exception
    void mapRethrowsWhatTheInputIteratorThrowsAndCanBeCalledAgain() {
        for (int attempt = 0; attempt < 2; attempt++) { // "again, make sure it's reentrant"
            assertTimeoutPreemptively(LIMIT, () -> assertThrows(SayWhenError.class,
                    () -> POOL.get().<Integer, Integer>map(x -> x * x, throwingAt(1, -1), 1)));
        }
        assertTimeoutPreemptively(LIMIT, () -> assertThrows(SayWhenError.class,
                () -> POOL.get().<Integer, Integer>map(x -> x * x, throwingAt(10, 3), 1)));
        // an Iterable that is not a Collection is read as the workers take it: get() gives what it threw
        assertTimeoutPreemptively(LIMIT, () -> assertThrows(SayWhenError.class,
                () -> POOL.get().<Integer, Integer>mapAsync(x -> x * x, throwingAt(10, 3)).get()));
        assertEquals(squares(3), POOL.get().<Integer, Integer>map(x -> x * x, range(3)));
    }

    /** Reads {@code it} until it throws; returns what came before. */
    private static List<Integer> readUntilItThrows(Iterator<Integer> it) {
        List<Integer> seen = new ArrayList<>();
        assertThrows(SayWhenError.class, () -> {
            while (it.hasNext()) {
                seen.add(it.next());
            }
        }, () -> "the stream ended without the iterator's exception after " + seen);
        return seen;
    }

    @Test // test_imap_handle_iterable_exception
    void imapGivesTheResultsBeforeTheInputFailedThenWhatTheInputThrew() {
        assertTimeoutPreemptively(LIMIT, () -> {
            for (int attempt = 0; attempt < 2; attempt++) {
                try (Stream<Integer> s = POOL.get().imap(x -> x * x, throwingAt(1, -1), 1)) {
                    assertEquals(List.of(), readUntilItThrows(s.iterator()));
                }
            }
            // CPython loses the whole chunk that the failure cut short (6 of 7, 4 of 7 results); a lazy
            // read has sent none of it yet or all of it, so at least the whole chunks come, in order
            int[][] cases = {{10, 3, 1, 3}, {20, 7, 2, 6}, {20, 7, 4, 4}};
            for (int[] c : cases) {
                try (Stream<Integer> s = POOL.get().imap(x -> x * x, throwingAt(c[0], c[1]), c[2])) {
                    List<Integer> seen = readUntilItThrows(s.iterator());
                    assertTrue(seen.size() >= c[3] && seen.size() <= c[1], "chunk size " + c[2] + ": " + seen);
                    assertEquals(squares(seen.size()), seen);
                }
            }
        });
    }

    @Test // test_imap_unordered_handle_iterable_exception
    void imapUnorderedGivesOnlyTrueResultsThenWhatTheInputThrew() {
        assertTimeoutPreemptively(LIMIT, () -> {
            for (int attempt = 0; attempt < 2; attempt++) {
                try (Stream<Integer> s = POOL.get().imapUnordered(x -> x * x, throwingAt(1, -1))) {
                    assertEquals(List.of(), readUntilItThrows(s.iterator()));
                }
            }
            try (Stream<Integer> s = POOL.get().imapUnordered(x -> x * x, throwingAt(20, 7))) {
                List<Integer> seen = readUntilItThrows(s.iterator());
                assertTrue(squares(7).containsAll(seen) && Set.copyOf(seen).size() == seen.size(), seen.toString());
            }
        });
    }

    // ---- imap ----

    @Test // test_imap
    void imapGivesResultsInOrderOneByOneAndWithChunks() {
        try (Stream<Integer> s = POOL.get().imap(x -> x * x, range(10))) {
            assertEquals(squares(10), s.collect(Collectors.toList()));
        }
        try (Stream<Integer> s = POOL.get().imap(x -> x * x, range(1000), 100)) {
            Iterator<Integer> it = s.iterator();
            for (int i = 0; i < 1000; i++) {
                assertEquals(i * i, it.next());
            }
            assertFalse(it.hasNext());
        }
    }

    @Test // test_imap_unordered
    void imapUnorderedGivesEveryResultOnce() {
        try (Stream<Integer> s = POOL.get().imapUnordered(x -> x * x, range(10))) {
            assertEquals(squares(10), s.sorted().collect(Collectors.toList()));
        }
    }

    // ---- failures ----

    static int raiseRuntimeError() {
        throw new RuntimeException("123");
    }

    @Test // test_traceback and test_wrapped_exception: the worker's stack is in the caller's exception
    void aWorkersExceptionComesBackWithItsClassMessageAndStack() {
        WorkerException e = assertThrows(WorkerException.class, () -> POOL.get().apply(CPythonPoolIT::raiseRuntimeError));
        TaskFailure f = e.failures().get(0);
        assertEquals(TaskFailure.Kind.EXCEPTION, f.kind());
        assertEquals(RuntimeException.class.getName(), f.exceptionClass());
        assertEquals("123", f.message());
        assertTrue(f.trace().stream().anyMatch(frame -> frame.contains("raiseRuntimeError")), f.trace().toString());
        assertTrue(e.getMessage().contains("raiseRuntimeError"), e.getMessage());
    }

    @Test // _TestPoolWorkerErrors.test_async_error_callback
    void applyAsyncRunsTheErrorCallbackWithTheFailure() throws Exception {
        CompletableFuture<Throwable> erred = new CompletableFuture<>();
        AsyncResult<Object> r = POOL.get().applyAsync(() -> Map.of().get(null));
        r.onError(erred::complete);
        WorkerException e = assertThrows(WorkerException.class, () -> r.get(LIMIT));
        assertEquals(NullPointerException.class.getName(), e.failures().get(0).exceptionClass());
        assertSame(e, erred.get(10, TimeUnit.SECONDS));
        assertFalse(r.successful());
    }

    @Test // test_map_no_failfast (#23992): every element runs, large exceptions included, and nothing deadlocks
    void mapWaitsForEveryElementAndReportsEachLargeFailure() {
        String large = "x".repeat(1024 * 1024);
        WorkerException e = assertTimeoutPreemptively(LIMIT, () -> assertThrows(WorkerException.class,
                () -> POOL.get().map(x -> {
                    throw new IllegalArgumentException(large);
                }, List.of(0, 1))));
        assertEquals(2, e.failures().size(), e.getMessage().substring(0, 200));
        for (TaskFailure f : e.failures()) {
            assertEquals(IllegalArgumentException.class.getName(), f.exceptionClass());
            assertTrue(f.message().startsWith("xxxxxxxx"), f.summary().substring(0, 100));
        }
        assertEquals(squares(2), POOL.get().<Integer, Integer>map(x -> x * x, range(2)));
    }

    // ---- resources ----

    /** CPython's {@code CountedObject}: an element whose copies the caller must not keep. */
    record Counted(int n) {
    }

    @Test // test_release_task_refs (#29861): task arguments and results are not kept alive
    void mapKeepsNoReferenceToItsElementsOrResults() {
        List<Counted> xs = IntStream.range(0, 10).mapToObj(Counted::new).collect(Collectors.toList());
        List<WeakReference<Counted>> refs = xs.stream().map(WeakReference::new).collect(Collectors.toList());
        List<Counted> results = POOL.get().map(x -> x, xs);
        assertEquals(xs, results);
        List<WeakReference<Counted>> resultRefs = results.stream().map(WeakReference::new).collect(Collectors.toList());
        xs = null;
        results = null;
        Await.until("every element and result to be collected", Duration.ofSeconds(20), () -> {
            System.gc();
            return Stream.concat(refs.stream(), resultRefs.stream()).allMatch(r -> r.get() == null);
        });
    }

    @Test // test_make_pool
    void aPoolOfNoWorkersIsRefusedAndSizeIsTheWorkerCount() {
        assertThrows(IllegalArgumentException.class, () -> WorkerPool.start(0));
        assertThrows(IllegalArgumentException.class, () -> WorkerPool.start(-1));
        assertEquals(2, POOL.get().size());
    }

    @Test // _TestPoolWorkerLifetime.test_pool_maxtasksperchild_invalid
    void aNegativeTaskLimitPerWorkerIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> WorkerPool.builder().maxTasksPerWorker(-1));
    }
}
