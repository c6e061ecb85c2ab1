package org.jparallel.api;

import org.jparallel.testing.Await;
import org.jparallel.testing.OnWorker;
import org.jparallel.testing.Pools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Faults and lifecycle of a real pool: worker JVMs that exit, halt or are killed, user exceptions,
 * values that cannot be sent either way, asynchronous results, endless lazy inputs, interrupts, and
 * every way a pool's processes end. Nothing here sleeps to synchronize: conditions are polled with a
 * deadline.
 */
class PoolFaultsIT {

    /** Set by the initializer, in each worker JVM (and never in this one). */
    static final AtomicInteger INITIALIZED = new AtomicInteger();

    @TempDir
    Path dir;

    // ---- helpers ----

    /**
     * A pool that is closed at the end of a test, within a deadline: {@code close()} waits for running
     * calls, so a test that failed with a call still running would otherwise hang. On the deadline the
     * closing thread is interrupted, which makes the pool terminate, and the test fails.
     */
    private static final class Held implements AutoCloseable {
        final WorkerPool pool;

        Held(WorkerPool pool) {
            this.pool = pool;
        }

        @Override
        public void close() throws InterruptedException {
            Thread closer = new Thread(pool::close, "test-pool-closer");
            closer.start();
            closer.join(30_000);
            if (closer.isAlive()) {
                closer.interrupt();
                closer.join(30_000);
                fail("close() did not return within 30 s; the pool was terminated: " + pool.status());
            }
        }
    }

    private static boolean allIdle(WorkerPool pool, int size) {
        List<WorkerStatus> rows = pool.status();
        return rows.size() == size && rows.stream().allMatch(r -> r.state().equals("idle"));
    }

    /** After a fault: N workers, all idle, none with an old PID, the old processes gone, and a map works. */
    private static void assertRecovered(WorkerPool pool, int size, Set<Long> oldPids, Set<Long> deadPids) {
        Await.until("the pool to have " + size + " idle workers again", Pools.READY, () -> allIdle(pool, size));
        Set<Long> now = Pools.pids(pool);
        assertEquals(size, now.size());
        for (long dead : deadPids) {
            assertFalse(now.contains(dead), "dead pid " + dead + " is still listed: " + pool.status());
            Await.until("pid " + dead + " to be gone", Duration.ofSeconds(10), () -> Pools.gone(dead));
        }
        assertTrue(now.stream().anyMatch(p -> !oldPids.contains(p)), "no worker was replaced: " + now);
        assertEquals(List.of(1, 4, 9, 16, 25, 36), pool.map(x -> x * x, List.of(1, 2, 3, 4, 5, 6)));
    }

    private static TaskFailure single(WorkerException e) {
        assertEquals(1, e.failures().size(), e.getMessage());
        return e.failures().get(0);
    }

    // ---- dying workers ----

    @Test
    void systemExitInEveryAttemptFailsWithWorkerDiedAfterTwoAttempts() throws Exception {
        try (Held held = new Held(Pools.start(2))) {
            WorkerPool pool = held.pool;
            Set<Long> before = Pools.pids(pool);
            WorkerException e = assertThrows(WorkerException.class, () -> assertTimeoutPreemptively(Duration.ofSeconds(60),
                    () -> pool.map(x -> {
                        System.exit(3);
                        return x;
                    }, List.of(7))));
            TaskFailure f = single(e);
            assertEquals(TaskFailure.Kind.WORKER_DIED, f.kind());
            assertEquals(0, f.element());
            assertEquals("7", f.elementText());
            assertTrue(before.contains(f.pid()), "the failure names a pool worker's pid: " + f);
            assertEquals("the worker process exited with code 3", f.message());
            assertTrue(f.summary().contains("pid " + f.pid()), f.summary());
            assertTrue(e.getMessage().contains("exited with code 3"), e.getMessage());
            // the task touched both workers (retried once), so both are dead and replaced
            assertRecovered(pool, 2, before, before);
            Set<Long> after = Pools.pids(pool);
            assertTrue(after.stream().noneMatch(before::contains), "both workers replaced: " + before + " → " + after);
        }
    }

    @Test
    void haltInEveryAttemptFailsWithWorkerDiedNamingPidAndExitCode() throws Exception {
        try (Held held = new Held(Pools.start(2))) {
            WorkerPool pool = held.pool;
            Set<Long> before = Pools.pids(pool);
            WorkerException e = assertThrows(WorkerException.class, () -> assertTimeoutPreemptively(Duration.ofSeconds(60),
                    () -> pool.apply(() -> {
                        Runtime.getRuntime().halt(1);
                        return 0;
                    })));
            TaskFailure f = single(e);
            assertEquals(TaskFailure.Kind.WORKER_DIED, f.kind());
            assertEquals("worker " + f.worker() + " (pid " + f.pid() + "): the worker process exited with code 1",
                    f.summary());
            assertRecovered(pool, 2, before, before);
        }
    }

    @Test
    void aTaskThatKillsOnlyItsFirstWorkerIsRetriedElsewhereAndSucceeds() throws Exception {
        String marker = dir.resolve("died-once").toString();
        try (Held held = new Held(Pools.start(2))) {
            WorkerPool pool = held.pool;
            Set<Long> before = Pools.pids(pool);
            long pid = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> pool.apply(() -> {
                Path m = Path.of(marker);
                if (!Files.exists(m)) {
                    Files.writeString(m, Long.toString(ProcessHandle.current().pid()));
                    Runtime.getRuntime().halt(3);
                }
                return ProcessHandle.current().pid();
            }));
            long died = Long.parseLong(Files.readString(Path.of(marker)).trim());
            assertTrue(before.contains(died));
            assertTrue(before.contains(pid), "retried on the other original worker");
            assertTrue(pid != died, "the retry ran on another worker than the one that died");
            assertRecovered(pool, 2, before, Set.of(died));
        }
    }

    /**
     * The run's snapshot counts the elements of the chunk a dying worker was running as retried, on that worker's
     * row (it stays listed, dead), and each element once in done.
     */
    @Test
    void theElementsOfAChunkWhoseWorkerDiedAreCountedAsRetriedOnThatWorker() throws Exception {
        String marker = dir.resolve("chunk-died-once").toString();
        try (Held held = new Held(Pools.start(2))) {
            WorkerPool pool = held.pool;
            PoolRun<Integer> run = pool.submit(x -> {
                Path m = Path.of(marker);
                if (x == 1 && !Files.exists(m)) {
                    OnWorker.publish(m, Long.toString(ProcessHandle.current().pid()));
                    Runtime.getRuntime().halt(3);
                }
                return x * 10;
            }, List.of(0, 1, 2, 3), RunOptions.defaults().chunkSize(2));
            assertEquals(List.of(0, 10, 20, 30), run.get(Duration.ofSeconds(60)));
            long died = Long.parseLong(Files.readString(Path.of(marker)).trim());
            RunProgress progress = run.progress();
            assertEquals(4, progress.done(), "each element counts once: " + progress);
            assertEquals(2, progress.retried(), "the chunk of elements 0 and 1 ran again: " + progress);
            RunProgress.Worker dead = progress.workers().stream().filter(w -> w.pid() == died).findFirst().orElseThrow(
                    () -> new AssertionError("the dead worker has no row: " + progress));
            assertEquals(RunProgress.State.DEAD, dead.state());
            assertEquals(2, dead.retried(), progress.toString());
        }
    }

    @Test
    void sigkillMidTaskRetriesTheTaskOnAnotherWorker() throws Exception {
        Path marker = dir.resolve("first-attempt");
        String markerText = marker.toString();
        try (Held held = new Held(Pools.start(2))) {
            WorkerPool pool = held.pool;
            Set<Long> before = Pools.pids(pool);
            AsyncResult<List<Long>> result = pool.mapAsync(x -> {
                Path m = Path.of(markerText);
                if (!Files.exists(m)) {
                    OnWorker.publish(m, Long.toString(ProcessHandle.current().pid()));
                    for (int i = 0; i < 600; i++) {
                        OnWorker.sleep(100); // a long task, killed from outside
                    }
                }
                return ProcessHandle.current().pid();
            }, List.of(1));
            Await.until("the first attempt to start", Pools.READY, () -> Files.exists(marker));
            long victim = Long.parseLong(Files.readString(marker).trim());
            assertTrue(before.contains(victim));
            assertTrue(ProcessHandle.of(victim).orElseThrow().destroyForcibly());
            List<Long> pidsSeen = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> result.get());
            assertEquals(1, pidsSeen.size());
            assertTrue(pidsSeen.get(0) != victim, "the retry ran elsewhere: " + pidsSeen);
            assertTrue(result.successful());
            assertRecovered(pool, 2, before, Set.of(victim));
        }
    }

    // ---- failures in user code and in values ----

    @Test
    void exceptionsInUserCodeNameClassMessageAndElementWhileOtherElementsSucceed() throws Exception {
        try (Held held = new Held(Pools.start(2))) {
            WorkerPool pool = held.pool;
            Set<Long> workers = Pools.pids(pool);
            for (int chunk : new int[] {1, 10}) {
                List<Integer> xs = IntStream.range(0, 10).boxed().collect(Collectors.toList());
                AsyncResult<List<Integer>> r = pool.mapAsync(x -> {
                    if (x == 3 || x == 7) {
                        throw new IllegalArgumentException("bad element " + x);
                    }
                    return x * 2;
                }, xs);
                WorkerException e = assertThrows(WorkerException.class,
                        () -> assertTimeoutPreemptively(Duration.ofSeconds(60), () -> r.get()));
                assertFalse(r.successful());
                List<TaskFailure> failures = e.failures();
                assertEquals(2, failures.size(), "exactly the two bad elements failed; the other 8 succeeded: " + e.getMessage());
                for (int i = 0; i < 2; i++) {
                    TaskFailure f = failures.get(i);
                    long element = i == 0 ? 3 : 7;
                    assertEquals(TaskFailure.Kind.EXCEPTION, f.kind());
                    assertEquals(element, f.element());
                    assertEquals(Long.toString(element), f.elementText());
                    assertEquals(IllegalArgumentException.class.getName(), f.exceptionClass());
                    assertEquals("bad element " + element, f.message());
                    assertTrue(workers.contains(f.pid()), f.toString());
                    assertFalse(f.trace().isEmpty(), "a worker-side trace");
                    assertTrue(f.trace().get(0).contains("PoolFaultsIT"), f.trace().toString());
                }
                assertTrue(e.getMessage().startsWith("2 elements failed"), e.getMessage());
                assertTrue(e.getMessage().contains("element 3 (= 3): java.lang.IllegalArgumentException: bad element 3"),
                        e.getMessage());

                // the same elements through map with a chunk size: also per element
                int c = chunk;
                WorkerException viaMap = assertThrows(WorkerException.class, () -> pool.map(x -> {
                    if (x == 3 || x == 7) {
                        throw new IllegalStateException("no " + x);
                    }
                    return x;
                }, xs, c));
                assertEquals(List.of(3L, 7L), viaMap.failures().stream().map(TaskFailure::element).collect(Collectors.toList()));
            }
            assertEquals(List.of(0, 2, 4), pool.map(x -> x * 2, List.of(0, 1, 2)));
        }
    }

    @Test
    void unsendableResultsFailAsNotSendableAndThePoolStaysUsable() throws Exception {
        try (Held held = new Held(Pools.start(2))) {
            WorkerPool pool = held.pool;
            WorkerException thread = assertThrows(WorkerException.class, () -> pool.apply(() -> new Thread()));
            TaskFailure f = single(thread);
            assertEquals(TaskFailure.Kind.NOT_SENDABLE, f.kind());
            assertTrue(f.message().contains("java.lang.Thread"), f.message());
            assertTrue(f.message().contains("thread"), f.message());

            WorkerException stream = assertThrows(WorkerException.class,
                    () -> pool.map(x -> x == 2 ? new ByteArrayInputStream(new byte[x]) : (Object) x, List.of(1, 2, 3), 3));
            TaskFailure g = single(stream);
            assertEquals(TaskFailure.Kind.NOT_SENDABLE, g.kind());
            assertEquals(1, g.element());
            assertTrue(g.message().contains("ByteArrayInputStream"), g.message());
            assertTrue(g.message().contains("input stream"), g.message());

            assertEquals(List.of(2, 3, 4), pool.map(x -> x + 1, List.of(1, 2, 3)));
        }
    }

    @Test
    void anUnsendableArgumentIsRefusedByMapWithItsPath() throws Exception {
        try (Held held = new Held(Pools.start(2))) {
            WorkerPool pool = held.pool;
            List<Object> xs = new ArrayList<>(List.of("a", "b", "c", "d"));
            xs.set(2, new Thread());
            NotSendableException e = assertThrows(NotSendableException.class, () -> pool.map(x -> x, xs, 10));
            assertEquals("element[2]", e.path());
            assertEquals(Thread.class.getName(), e.offendingClass());
            assertEquals(List.of(1), pool.map(x -> x, List.of(1)));
        }
    }

    @Test
    void anUnsendableArgumentsPathCountsFromTheStartOfTheInput() throws Exception {
        try (Held held = new Held(Pools.start(2))) {
            WorkerPool pool = held.pool;
            List<Object> xs = new ArrayList<>(List.of("a", "b", "c", "d"));
            xs.set(2, new Thread());
            NotSendableException e = assertThrows(NotSendableException.class, () -> pool.map(x -> x, xs));
            assertEquals("element[2]", e.path());
        }
    }

    @Test
    void anUnsendableArgumentStopsTheCallBeforeAnythingRuns() throws Exception {
        String ran = dir.toString();
        try (Held held = new Held(Pools.start(2))) {
            WorkerPool pool = held.pool;
            // a collection (an Iterable that is none is read as the workers take it) that hands out the
            // unsendable element only once element "a" has run (or after 10 s): if nothing runs before the
            // refusal, as promised, no file ever appears
            Collection<Object> xs = new AbstractCollection<>() {
                @Override
                public int size() {
                    return 3;
                }

                @Override
                public Iterator<Object> iterator() {
                    return new Iterator<>() {
                        private int i;

                        @Override
                        public boolean hasNext() {
                            return i < 3;
                        }

                        @Override
                        public Object next() {
                            if (i++ < 2) {
                                return i == 1 ? "a" : "b";
                            }
                            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                            while (!Files.exists(Path.of(ran, "ran-a")) && System.nanoTime() < deadline) {
                                OnWorker.sleep(20);
                            }
                            return new Thread();
                        }
                    };
                }
            };
            assertThrows(NotSendableException.class, () -> pool.map(x -> {
                OnWorker.publish(Path.of(ran, "ran-" + x), "x");
                return x;
            }, xs));
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(List.of(), files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList()));
            }
        }
    }

    @Test
    void anUnsendableElementStopsALazyMapWhereItIsReadAndCancelsWhatWasSent() throws Exception {
        List<Object> elements = List.of("slow", "b", new Thread(), "d");
        AtomicInteger read = new AtomicInteger();
        Iterable<Object> xs = () -> new Iterator<>() {
            @Override
            public boolean hasNext() {
                return read.get() < elements.size();
            }

            @Override
            public Object next() {
                return elements.get(read.getAndIncrement());
            }
        };
        try (Held held = new Held(Pools.start(2))) {
            WorkerPool pool = held.pool;
            Set<Long> before = Pools.pids(pool);
            NotSendableException e = assertThrows(NotSendableException.class,
                    () -> assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                        try (Stream<Object> results = pool.imap(x -> {
                            if (x.equals("slow")) {
                                OnWorker.sleep(60_000);
                            }
                            return x;
                        }, xs, 1)) {
                            return results.collect(Collectors.toList());
                        }
                    }));
            assertEquals("element[2]", e.path());
            assertEquals(3, read.get(), "nothing is read after the element that cannot be sent");
            // "slow" was sent before the refusal: it is cancelled, neither left running for a minute nor killed
            Await.until("the workers to be idle", Duration.ofSeconds(10), () -> allIdle(pool, 2));
            assertEquals(before, Pools.pids(pool));
            assertEquals(List.of(2), pool.map(x -> x * 2, List.of(1)));
        }
    }

    // ---- asynchronous results ----

    @Test
    void applyAsyncReportsReadinessResultsAndCallbacks() throws Exception {
        Path gate = dir.resolve("gate");
        String gateText = gate.toString();
        try (Held held = new Held(Pools.start(2))) {
            WorkerPool pool = held.pool;
            AsyncResult<Integer> r = pool.applyAsync(() -> {
                while (!Files.exists(Path.of(gateText))) {
                    Thread.sleep(10);
                }
                return 42;
            });
            CompletableFuture<Integer> succeeded = new CompletableFuture<>();
            CompletableFuture<Throwable> erred = new CompletableFuture<>();
            AtomicReference<String> callbackThread = new AtomicReference<>();
            r.onSuccess(v -> {
                callbackThread.set(Thread.currentThread().getName());
                succeeded.complete(v);
            }).onError(erred::complete);

            assertFalse(r.ready());
            assertThrows(IllegalStateException.class, r::successful);
            assertThrows(TimeoutException.class, () -> r.get(Duration.ofMillis(200)));
            assertFalse(r.waitFor(Duration.ofMillis(100)));
            assertFalse(succeeded.isDone());

            Files.writeString(gate, "open");
            assertEquals(42, assertTimeoutPreemptively(Duration.ofSeconds(30), () -> r.get()));
            r.waitFor();
            assertTrue(r.waitFor(Duration.ofMillis(1)));
            assertTrue(r.ready());
            assertTrue(r.successful());
            assertEquals(42, r.get(Duration.ofMillis(1)));
            assertEquals(42, succeeded.get(10, TimeUnit.SECONDS));
            assertEquals("jparallel-callbacks", callbackThread.get());
            assertEquals(42, r.toCompletableFuture().join());

            AsyncResult<Integer> bad = pool.applyAsync(x -> 10 / x, 0);
            CompletableFuture<Throwable> badErr = new CompletableFuture<>();
            CompletableFuture<Integer> badOk = new CompletableFuture<>();
            bad.onError(badErr::complete).onSuccess(badOk::complete);
            Throwable t = badErr.get(30, TimeUnit.SECONDS);
            WorkerException we = assertInstanceOf(WorkerException.class, t);
            assertEquals(ArithmeticException.class.getName(), single(we).exceptionClass());
            bad.waitFor();
            assertTrue(bad.ready());
            assertFalse(bad.successful());
            assertSame(we, assertThrows(WorkerException.class, bad::get));
            // after a failure the success callback has had its chance, on the one callback thread
            CompletableFuture<Boolean> drained = new CompletableFuture<>();
            pool.applyAsync(() -> 1).onSuccess(v -> drained.complete(true));
            assertTrue(drained.get(30, TimeUnit.SECONDS));
            assertFalse(badOk.isDone(), "onSuccess must not run for a failed call");
            assertFalse(erred.isDone(), "onError must not run for a successful call");
        }
    }

    private static void assertSame(Object expected, Object actual) {
        org.junit.jupiter.api.Assertions.assertSame(expected, actual);
    }

    // ---- lazy results over an endless input ----

    @Test
    void imapOverAnEndlessInputReadsABoundedPrefix() throws Exception {
        AtomicLong produced = new AtomicLong();
        Iterable<Long> counting = () -> new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Long next() {
                return produced.getAndIncrement();
            }
        };
        try (Held held = new Held(Pools.start(2))) {
            WorkerPool pool = held.pool;
            List<Long> first = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                try (Stream<Long> s = pool.imap(x -> x * 2, counting)) {
                    return s.limit(1000).collect(Collectors.toList());
                }
            });
            assertEquals(LongStreamRange.doubled(1000), first);
            assertTrue(produced.get() >= 1000);
            assertTrue(produced.get() < 200_000, "read " + produced.get() + " elements of an endless input");
            long afterClose = produced.get();
            assertEquals(List.of(2, 4), pool.map(x -> x * 2, List.of(1, 2)));
            assertEquals(afterClose, produced.get(), "nothing reads the input after the stream is closed");
            Await.until("the workers to be idle after the stream closed", Pools.READY, () -> allIdle(pool, 2));
        }
    }

    private static final class LongStreamRange {
        static List<Long> doubled(int n) {
            List<Long> out = new ArrayList<>(n);
            for (long i = 0; i < n; i++) {
                out.add(2 * i);
            }
            return out;
        }
    }

    // ---- interrupts ----

    @Test
    void interruptingAWaitingMapCancelsItWithinSecondsAndThePoolStaysUsable() throws Exception {
        try (Held held = new Held(Pools.start(2))) {
            WorkerPool pool = held.pool;
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicReference<Boolean> flagAfter = new AtomicReference<>();
            Thread caller = new Thread(() -> {
                try {
                    pool.map(x -> {
                        OnWorker.sleep(60_000);
                        return x;
                    }, List.of(1, 2), 1);
                } catch (Throwable t) {
                    thrown.set(t);
                }
                flagAfter.set(Thread.currentThread().isInterrupted());
            }, "map-caller");
            caller.start();
            Await.until("both workers to be busy", Pools.READY,
                    () -> pool.status().stream().filter(s -> s.state().equals("busy")).count() == 2);
            caller.interrupt();
            // the tasks sleep a minute: returning within 10 s means the interrupt ended the map, not the tasks
            caller.join(10_000);
            assertFalse(caller.isAlive(), "the interrupted map did not return");
            assertInstanceOf(CancellationException.class, thrown.get());
            assertEquals(Boolean.TRUE, flagAfter.get(), "the interrupt flag is set again");
            assertEquals(List.of(10, 20, 30), pool.map(x -> x * 10, List.of(1, 2, 3)));
            Await.until("the workers to be idle", Pools.READY, () -> allIdle(pool, 2));
            assertEquals(2, pool.size());
        }
    }

    // ---- ending processes ----

    @Test
    void closeLeavesNoWorkerProcess() throws Exception {
        WorkerPool pool = Pools.start(2);
        // closed by the test itself: the point is what close() leaves behind
        assertEquals(List.of(1), pool.map(x -> x, List.of(1)));
        Set<Long> before = Pools.pids(pool);
        assertEquals(2, before.size());
        pool.close();
        for (long pid : before) {
            assertTrue(Pools.gone(pid), "worker pid " + pid + " outlived close()");
        }
        assertThrows(IllegalStateException.class, () -> pool.map(x -> x, List.of(1)));
    }

    @Test
    void maxTasksPerWorkerReplacesWorkers() throws Exception {
        try (Held held = new Held(Pools.ready(WorkerPool.builder().workers(1).maxTasksPerWorker(2).start()))) {
            WorkerPool pool = held.pool;
            long first = Pools.pids(pool).iterator().next();
            // two single-element tasks: exactly the first worker's quota, so it retires holding nothing
            List<Long> a = pool.map(x -> ProcessHandle.current().pid(), List.of(1, 2), 1);
            assertEquals(List.of(first, first), a);
            Await.until("the first worker to be gone", Duration.ofSeconds(10), () -> Pools.gone(first));
            Await.until("one idle worker", Pools.READY, () -> allIdle(pool, 1));
            long second = Pools.pids(pool).iterator().next();
            assertTrue(second != first);
            List<Long> b = pool.map(x -> ProcessHandle.current().pid(), List.of(3, 4), 1);
            assertEquals(List.of(second, second), b);
            Await.until("the second worker to be gone", Duration.ofSeconds(10), () -> Pools.gone(second));
            Await.until("one idle worker", Pools.READY, () -> allIdle(pool, 1));
            assertFalse(Set.of(first, second).contains(Pools.pids(pool).iterator().next()));
        }
    }

    @Test
    void maxTasksPerWorkerNeverFailsATaskAndCapsTasksPerProcess() throws Exception {
        try (Held held = new Held(Pools.ready(WorkerPool.builder().workers(1).maxTasksPerWorker(2).start()))) {
            WorkerPool pool = held.pool;
            long first = Pools.pids(pool).iterator().next();
            List<Long> ran = assertTimeoutPreemptively(Duration.ofSeconds(90),
                    () -> pool.map(x -> ProcessHandle.current().pid(), List.of(1, 2, 3, 4, 5, 6), 1));
            Map<Long, Integer> perPid = new HashMap<>();
            ran.forEach(p -> perPid.merge(p, 1, Integer::sum));
            assertTrue(perPid.size() >= 3, "6 tasks at most 2 per worker need at least 3 workers: " + perPid);
            perPid.forEach((pid, n) -> assertTrue(n <= 2, "pid " + pid + " ran " + n + " tasks: " + perPid));
            Await.until("the first worker to be gone", Duration.ofSeconds(10), () -> Pools.gone(first));
        }
    }

    @Test
    void aWorkerRemovedByResizeFinishesTheTasksItHolds() throws Exception {
        Path gate = dir.resolve("gate");
        String gateText = gate.toString();
        try (Held held = new Held(Pools.start(2))) {
            WorkerPool pool = held.pool;
            long removed = pool.status().get(1).pid();
            // 4 tasks on 2 workers: each holds 2 (one running, one queued), all waiting for the gate
            AsyncResult<List<Long>> result = pool.mapAsync(x -> {
                while (!Files.exists(Path.of(gateText))) {
                    OnWorker.sleep(10);
                }
                return ProcessHandle.current().pid();
            }, List.of(1, 2, 3, 4));
            Await.until("both workers to be busy", Pools.READY,
                    () -> pool.status().stream().filter(s -> s.state().equals("busy")).count() == 2);
            pool.resize(1);
            Files.writeString(gate, "open");
            List<Long> ran = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> result.get());
            assertEquals(2, ran.stream().filter(pid -> pid == removed).count(),
                    "the removed worker's results were taken, not its tasks run again elsewhere: " + ran);
            Await.until("the removed worker to end", Duration.ofSeconds(10), () -> Pools.gone(removed));
            assertEquals(1, pool.size());
        }
    }

    @Test
    void theInitializerRunsOncePerWorkerBeforeItsTasks() throws Exception {
        try (Held held = new Held(Pools.ready(WorkerPool.builder().workers(2)
                .initializer(() -> INITIALIZED.incrementAndGet()).start()))) {
            WorkerPool pool = held.pool;
            List<Integer> seen = pool.map(x -> INITIALIZED.get(), List.of(1, 2, 3, 4, 5, 6, 7, 8), 1);
            assertEquals(List.of(1, 1, 1, 1, 1, 1, 1, 1), seen);
            Set<Long> ranOn = new HashSet<>(pool.map(x -> ProcessHandle.current().pid(), List.of(1, 2, 3, 4, 5, 6, 7, 8), 1));
            assertTrue(Pools.pids(pool).containsAll(ranOn));
        }
        assertEquals(0, INITIALIZED.get(), "the initializer runs on workers, not here");
    }

    @Test
    void theInitializerRunsBeforeTasksEvenWithoutAwaitReadyAndOnReplacementWorkers() throws Exception {
        try (Held held = new Held(WorkerPool.builder().workers(2).maxTasksPerWorker(2)
                .initializer(() -> INITIALIZED.incrementAndGet()).start())) {
            WorkerPool pool = held.pool;
            List<Integer> seen = assertTimeoutPreemptively(Duration.ofSeconds(120),
                    () -> pool.map(x -> INITIALIZED.get(), IntStream.range(0, 12).boxed().collect(Collectors.toList()), 1));
            assertEquals(IntStream.range(0, 12).mapToObj(i -> 1).collect(Collectors.toList()), seen);
        }
    }

    @Test
    void resizeGrowsAndShrinksAndRemovedProcessesEnd() throws Exception {
        try (Held held = new Held(Pools.start(1))) {
            WorkerPool pool = held.pool;
            pool.resize(3);
            assertEquals(3, pool.size());
            assertEquals(3, pool.status().size());
            pool.awaitReady();
            Await.until("three idle workers", Pools.READY, () -> allIdle(pool, 3));
            List<WorkerStatus> three = pool.status();
            assertEquals(List.of(0, 1, 2), three.stream().map(WorkerStatus::index).collect(Collectors.toList()));
            assertEquals(3, Pools.pids(pool).size());
            assertEquals(List.of(2, 3, 4, 5, 6, 7), pool.map(x -> x + 1, List.of(1, 2, 3, 4, 5, 6), 1));

            pool.resize(1);
            assertEquals(1, pool.size());
            List<WorkerStatus> one = pool.status();
            assertEquals(1, one.size());
            assertEquals(three.get(0).pid(), one.get(0).pid(), "worker 0 stays");
            for (WorkerStatus removed : three.subList(1, 3)) {
                Await.until("removed worker pid " + removed.pid() + " to end", Duration.ofSeconds(10), () -> Pools.gone(removed.pid()));
            }
            assertEquals(List.of(1, 4), pool.map(x -> x * x, List.of(1, 2)));
            assertThrows(IllegalArgumentException.class, () -> pool.resize(0));
        }
    }
}
