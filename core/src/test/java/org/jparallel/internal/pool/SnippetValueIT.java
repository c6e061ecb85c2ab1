package org.jparallel.internal.pool;

import org.jparallel.api.RunOptions;
import org.jparallel.api.TaskFailure;
import org.jparallel.api.WorkerStatus;
import org.jparallel.internal.code.CodeSource;
import org.jparallel.testing.Await;
import org.jparallel.testing.NoSegmentsLeft;
import org.jparallel.testing.Pools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a run of snippet classes (a {@code %%parallel} cell) sends back, with real worker JVMs: the last
 * snippet's value only when it is asked for. A cell that ends in a declaration ({@code var t = new Thread();})
 * asks for none, so a value that cannot be sent does not fail it.
 */
@ExtendWith(NoSegmentsLeft.class)
class SnippetValueIT {

    private static RealWorkerPool pool;
    private static List<Long> pids;

    @BeforeAll
    static void start() throws InterruptedException {
        pool = RealWorkerPool.start(new RealWorkerPool.Options(2, List.of(), null, 0, null), CodeSource.PLAIN);
        try {
            pool.awaitReady(30, TimeUnit.SECONDS);
        } catch (RuntimeException | InterruptedException e) {
            pool.terminate();
            throw e;
        }
        pids = pool.status().stream().map(WorkerStatus::pid).toList();
    }

    @AfterAll
    static void stop() {
        pool.terminate();
        Await.until("the workers to end", Pools.READY, () -> pids.stream().allMatch(Pools::gone));
    }

    /** A snippet whose value, a thread, cannot be sent: as {@code var t = new Thread();} is. */
    public static final class DeclaresAThread {
        private DeclaresAThread() {
        }

        @SuppressWarnings("unused") // called by the worker, by name
        static Object do_it$() {
            return new Thread(() -> { });
        }
    }

    /** A snippet whose value is the worker's index, as the expression {@code index} is. */
    public static final class WorkerIndex {
        private WorkerIndex() {
        }

        @SuppressWarnings("unused") // called by the worker, by name
        static Object do_it$() {
            return System.getProperty("jparallel.worker.index");
        }
    }

    private static RunHandle<Object> run(boolean keepValue, Class<?>... snippets) throws InterruptedException {
        RunHandle<Object> run = pool.submitSnippets(Arrays.stream(snippets).map(Class::getName).toList(), keepValue,
                List.of(), RunOptions.defaults());
        assertTrue(run.waitFor(Duration.ofSeconds(60)), "the cell did not finish within 60 s");
        return run;
    }

    @Test
    void aValueNotAskedForIsNotSentBackSoOneThatCannotBeSentFailsNothing() throws InterruptedException {
        RunHandle<Object> gathered = run(false, WorkerIndex.class, DeclaresAThread.class);
        assertEquals(List.of(), gathered.failures());
        assertEquals(Arrays.asList(null, null), gathered.results());
    }

    @Test
    void aValueAskedForIsSentBackFromEveryWorker() throws InterruptedException {
        RunHandle<Object> gathered = run(true, DeclaresAThread.class, WorkerIndex.class);
        assertEquals(List.of(), gathered.failures());
        assertEquals(List.of("0", "1"), gathered.results());
    }

    @Test
    void aValueAskedForThatCannotBeSentFailsOnEachWorker() throws InterruptedException {
        List<TaskFailure> failures = run(true, DeclaresAThread.class).failures();
        assertEquals(2, failures.size(), failures::toString);
        assertTrue(failures.stream().allMatch(f -> f.kind() == TaskFailure.Kind.NOT_SENDABLE), failures::toString);
    }
}
