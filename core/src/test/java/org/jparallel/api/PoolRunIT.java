package org.jparallel.api;

import org.jparallel.testing.Await;
import org.jparallel.testing.OnWorker;
import org.jparallel.testing.PoolPerClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The run handle on a real pool: progress inside a chunk, cancel, timeout, fail-fast, targets. */
class PoolRunIT {

    @RegisterExtension
    static final PoolPerClass POOL = new PoolPerClass(2);

    private static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    @Test
    void progressMovesInsideAChunkBeforeItsReportComes() throws Exception {
        // one chunk of 20 elements of 50 ms: its report comes after 1 s, its progress every 200 ms before
        PoolRun<Integer> run = POOL.get().submit(x -> {
            OnWorker.sleep(50);
            return x;
        }, range(20), RunOptions.defaults().chunkSize(20));
        List<Long> seen = new ArrayList<>();
        run.onProgress(Duration.ofMillis(20), p -> {
            synchronized (seen) {
                seen.add(p.done());
            }
        });
        Await.until("elements done inside the chunk to be counted", Duration.ofSeconds(30), () -> {
            RunProgress p = run.progress();
            return p.done() > 0 && p.done() < 20 && !p.finished();
        });
        assertEquals(range(20), run.get());
        RunProgress end = run.progress();
        assertTrue(end.finished());
        assertEquals(20, end.done());
        assertEquals(Duration.ZERO, end.eta());
        Await.until("the final snapshot to reach the listener", Duration.ofSeconds(10), () -> {
            synchronized (seen) {
                return !seen.isEmpty() && seen.get(seen.size() - 1) == 20;
            }
        });
        synchronized (seen) {
            for (int i = 1; i < seen.size(); i++) {
                assertTrue(seen.get(i) >= seen.get(i - 1), "done went down: " + seen);
            }
        }
    }

    @Test
    void aCancelledRunCountsCancelledElementsNotFailures() throws Exception {
        PoolRun<Integer> run = POOL.get().submit(x -> {
            OnWorker.sleep(100);
            return x;
        }, range(200), RunOptions.defaults());
        Await.until("some elements to finish", Duration.ofSeconds(30), () -> run.progress().done() > 0);
        assertTrue(run.cancel());
        assertFalse(run.cancel(), "a second cancel does nothing");
        CancellationException e = assertThrows(CancellationException.class, run::get);
        assertTrue(e.getMessage().startsWith("cancelled: "), e.getMessage());
        RunProgress p = run.progress();
        assertTrue(p.finished());
        assertTrue(p.cancelled() > 0, p.toString());
        assertEquals(0, p.failed(), p.toString());
        assertTrue(run.results().contains(null), "elements that never ran have no result");
    }

    @Test
    void aTimeoutStopsARunThatNobodyWaitsFor() throws Exception {
        PoolRun<Integer> run = POOL.get().submit(x -> {
            OnWorker.sleep(1000);
            return x;
        }, range(100), RunOptions.defaults().timeout(Duration.ofMillis(500)));
        Await.until("the timeout to stop the run", Duration.ofSeconds(30), run::isDone);
        CancellationException e = assertThrows(CancellationException.class, run::get);
        assertTrue(e.getMessage().startsWith("timed out after 0.5 s: "), e.getMessage());
    }

    @Test
    void failFastCancelsWhatHadNotStarted() throws Exception {
        PoolRun<Integer> run = POOL.get().submit(x -> {
            if (x == 3) {
                throw new IllegalArgumentException("bad " + x);
            }
            OnWorker.sleep(20);
            return x;
        }, range(400), RunOptions.defaults().chunkSize(1).failFast(true));
        WorkerException e = assertThrows(WorkerException.class, run::get);
        assertEquals(3, e.failures().get(0).element());
        RunProgress p = run.progress();
        assertEquals(1, p.failed(), p.toString());
        assertTrue(p.cancelled() > 0, p.toString());
        assertNull(run.results().get(3));
    }

    @Test
    void aTaskRunsOnceOnEachWorkerNamedInIndexOrder() throws Exception {
        WorkerPool pool = POOL.get();
        List<Integer> every = pool.submitOnWorkers(() -> Integer.getInteger("jparallel.worker.index"), List.of(),
                RunOptions.defaults()).get();
        assertEquals(List.of(0, 1), every);
        assertEquals(List.of(1), pool.submitOnWorkers(() -> Integer.getInteger("jparallel.worker.index"), List.of(1),
                RunOptions.defaults()).get());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> pool.submitOnWorkers(() -> 1, List.of(5), RunOptions.defaults()));
        assertTrue(e.getMessage().contains("there is no worker 5"), e.getMessage());
    }
}
