package org.jparallel.internal.pool;

import org.jparallel.api.SerialFunction;
import org.jparallel.api.TaskFailure;
import org.jparallel.internal.code.CodeSource;
import org.jparallel.internal.launch.WorkerOutputPrinter;
import org.jparallel.internal.wire.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code %%parallel --map} asks of a real pool: its input handed over in the background, so that a
 * timeout bounds the reading of the input as well as the work; and the results of a run with failures
 * kept at their elements' places (what {@code --out} stores).
 */
class MapRunInputIT {

    private static final int CHUNK = 10;

    private RealWorkerPool pool;
    private Set<Long> workers;

    @BeforeEach
    void start() throws InterruptedException {
        pool = RealWorkerPool.start(new RealWorkerPool.Options(2, List.of(), null, 0), CodeSource.PLAIN);
        pool.awaitReady(30, TimeUnit.SECONDS);
        workers = pool.status().stream().map(s -> s.pid()).collect(Collectors.toSet());
    }

    @AfterEach
    void close() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), pool::close);
        pool.join();
        for (long pid : workers) {
            assertTrue(ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true), "worker " + pid + " outlived close()");
        }
    }

    private Run submit(SerialFunction<Object, Object> fn, Gatherer gatherer) {
        return pool.submitFunction(fn, Message.CallShape.ONE_ARGUMENT, gatherer, false);
    }

    @Test
    void aTimeoutStopsARunWhoseInputIsEndlessAndReadsABoundedPrefix() throws Exception {
        AtomicLong read = new AtomicLong();
        Iterator<Long> endless = Stream.generate(read::getAndIncrement).iterator();
        Gatherer gatherer = new Gatherer(new WorkerOutputPrinter());
        Run run = submit(x -> { // the workers never finish a task: only the pool's bounds stop the reading
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            }
            return x;
        }, gatherer);
        CancellationException e = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            pool.feedInBackground(run, endless, -1, CHUNK);
            return assertThrows(CancellationException.class, () -> pool.await(run, 2_000));
        });
        assertTrue(e.getMessage().startsWith("timed out after 2.0 s"), e.getMessage());
        assertTrue(e.getMessage().contains("element(s) of the input had been read"), e.getMessage());
        long afterStop = read.get();
        // queued: 2 tasks a worker; held by the workers: at most 32 tasks each; one chunk being read
        long bound = (2L * 2 + 32L * 2 + 1) * CHUNK;
        assertTrue(afterStop > 0 && afterStop <= bound, "read " + afterStop + " elements, more than " + bound);
        assertEquals(List.of(7), plusOne(List.of(6)), "the pool still works");
        assertEquals(afterStop, read.get(), "nothing reads the input once the run was stopped");
    }

    @Test
    void aTimeoutCountsFromTheStartOfTheRunNotFromTheEndOfTheInput() {
        Gatherer gatherer = new Gatherer(new WorkerOutputPrinter());
        Run run = submit(x -> x, gatherer);
        // an input that takes longer to read than the whole timeout: the run times out while reading it
        Iterator<Integer> slow = Stream.iterate(0, i -> i + 1).limit(1_000).peek(i -> pause(10)).iterator();
        pool.feedInBackground(run, slow, 1_000, 0);
        CancellationException e = assertThrows(CancellationException.class, () -> pool.await(run, 1_000));
        assertTrue(e.getMessage().startsWith("timed out after 1.0 s"), e.getMessage());
    }

    @Test
    void theResultsOfARunWithFailuresKeepEveryElementsPlace() throws Exception {
        Gatherer gatherer = new Gatherer(new WorkerOutputPrinter());
        Run run = submit(x -> {
            if ((Integer) x == 4) {
                throw new IllegalArgumentException("four");
            }
            return (Integer) x * 10;
        }, gatherer);
        pool.feedInBackground(run, List.of(1, 2, 3, 4, 5, 6).iterator(), 6, 1);
        pool.await(run, 30_000);
        assertEquals(Arrays.asList(10, 20, 30, null, 50, 60), gatherer.resultsByElement(run.elementsQueued()));
        List<Object> arrived = gatherer.resultsByArrival(run.elementsQueued());
        assertEquals(6, arrived.size());
        assertEquals(Set.of(10, 20, 30, 50, 60), arrived.stream().filter(r -> r != null).collect(Collectors.toSet()));
        List<TaskFailure> failures = gatherer.failures();
        assertEquals(1, failures.size());
        assertEquals(3, failures.get(0).element());
    }

    private List<Object> plusOne(List<Integer> xs) throws Exception {
        Gatherer gatherer = new Gatherer(new WorkerOutputPrinter());
        Run run = submit(x -> (Integer) x + 1, gatherer);
        pool.feedAll(run, xs.iterator(), 0);
        pool.await(run, 30_000);
        return gatherer.future().get();
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis); // the input is slow on purpose: this is what it costs to read it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
