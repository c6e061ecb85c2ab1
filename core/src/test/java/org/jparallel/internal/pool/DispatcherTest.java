package org.jparallel.internal.pool;

import org.jparallel.api.RunProgress;
import org.jparallel.api.TaskFailure;
import org.jparallel.internal.code.CodeSource;
import org.jparallel.internal.code.SnippetCode;
import org.jparallel.internal.code.SnippetLoader;
import org.jparallel.internal.codec.ValueCodec;
import org.jparallel.internal.wire.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@link Dispatcher} on its own: workers are {@link WorkerHandle}s in a {@link WorkerRoster}, messages
 * go to an in-memory {@link Outbox}, reports are made up here. No JVM, no socket.
 */
class DispatcherTest {

    private final ValueCodec values = new ValueCodec(DispatcherTest.class.getClassLoader());
    private final AtomicLong ids = new AtomicLong();
    private final Object lock = new Object();
    private final WorkerRoster roster = new WorkerRoster();
    /** Everything the dispatcher sent, in order. */
    private final List<Sent> sent = new ArrayList<>();
    /** Decoding jobs not run yet, for tests that run them by hand. */
    private final Queue<Runnable> decodes = new ArrayDeque<>();
    /** Hears the runs a test makes. */
    private final Recorder recorder = new Recorder();

    private record Sent(int peer, Message message) {
    }

    /** Hears a run's outcome. */
    private static final class Recorder implements RunListener {
        final Map<Long, Object> results = new TreeMap<>();
        final List<TaskFailure> failures = new ArrayList<>();
        boolean finished;

        @Override
        public void results(long first, List<Object> values, int worker) {
            for (int i = 0; i < values.size(); i++) {
                results.put(first + i, values.get(i));
            }
        }

        @Override
        public void failure(TaskFailure failure) {
            failures.add(failure);
        }

        @Override
        public void finished() {
            finished = true;
        }
    }

    private Dispatcher dispatcher(CodeSource code, int maxTasksPerWorker, Executor decoder) {
        return new Dispatcher(roster, (peer, message) -> sent.add(new Sent(peer, message)), code, values,
                maxTasksPerWorker, ids::incrementAndGet, lock, decoder);
    }

    /** Decodes on the reporting thread, at once. */
    private Dispatcher dispatcher(int maxTasksPerWorker) {
        return dispatcher(CodeSource.PLAIN, maxTasksPerWorker, Runnable::run);
    }

    private WorkerHandle worker(int index) {
        WorkerHandle worker = new WorkerHandle(index, 100 + index, 5000 + index);
        roster.add(worker);
        worker.join(System.nanoTime());
        return worker;
    }

    /** Hands decoding jobs to {@link #decodes}, for the test to run. */
    private Dispatcher decodingByHand() {
        return dispatcher(CodeSource.PLAIN, 0, decodes::add);
    }

    private Run run(List<Message.Variable> variables) {
        return new Run(ids.incrementAndGet(), recorder, variables, ids.incrementAndGet(), new byte[]{1, 2, 3},
                Message.CallShape.ONE_ARGUMENT, false, null, false, false);
    }

    /** Queues {@code tasks} tasks of {@code size} integer elements each, numbered from 0; ends the input. */
    private List<Task> queue(Dispatcher dispatcher, Run run, int tasks, int size) {
        dispatcher.add(run);
        List<Task> queued = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            List<Integer> elements = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                elements.add(t * size + i);
            }
            Task task = new Task(ids.incrementAndGet(), run, (long) t * size, size,
                    values.encodeAll(elements, "element"), -1, elements);
            run.queue(task);
            queued.add(task);
        }
        run.endInput();
        return queued;
    }

    /** The chunks sent so far, in order. */
    private List<Sent> chunks() {
        return sent.stream().filter(s -> s.message() instanceof Message.RunChunk).toList();
    }

    /** The worker reports the {@code n}th chunk sent done (see {@link #reportDone}). */
    private void reportChunk(Dispatcher dispatcher, WorkerHandle worker, int n, boolean boxed) {
        reportDone(dispatcher, worker, (Message.RunChunk) chunks().get(n).message(), boxed);
    }

    private void reportChunk(Dispatcher dispatcher, WorkerHandle worker, int n) {
        reportChunk(dispatcher, worker, n, false);
    }

    /**
     * The worker reports a chunk done: each element's result is the element times ten, or with {@code boxed}
     * a one-element list of that (not plain data: its decoding is handed to the decoder).
     */
    private void reportDone(Dispatcher dispatcher, WorkerHandle worker, Message.RunChunk chunk, boolean boxed) {
        Task task = worker.task(chunk.task());
        List<Object> results = new ArrayList<>();
        for (int i = 0; i < task.size; i++) {
            int result = (int) (task.firstElement + i) * 10;
            results.add(boxed ? List.of(result) : result);
        }
        synchronized (lock) {
            dispatcher.done(worker, new Message.Done(chunk.task(), values.encodeAll(results, "result"), List.of()));
            dispatcher.dispatch();
        }
    }

    @Test
    void eachTaskGoesToTheWorkerHoldingFewest() {
        Dispatcher dispatcher = dispatcher(0);
        worker(0);
        worker(1);
        queue(dispatcher, run(List.of()), 4, 1);
        dispatcher.dispatch();
        assertEquals(List.of(100, 101, 100, 101), chunks().stream().map(Sent::peer).toList());
    }

    /**
     * With every slot taken the dispatcher looks only at workers that may have a free slot again (WorkerRoster): one
     * that joins after the others were found full gets tasks, and so does one that reports, while the full ones
     * get none.
     */
    @Test
    void aWorkerThatJoinsOrReportsWhileTheOthersAreFullGetsTheNextTasks() {
        Dispatcher dispatcher = dispatcher(0);
        worker(0);
        WorkerHandle second = worker(1);
        Run run = run(List.of());
        queue(dispatcher, run, 40, 1);
        dispatcher.dispatch();
        assertEquals(List.of(100, 101, 100, 101), chunks().stream().map(Sent::peer).toList(), "two each, untimed");
        worker(2);
        dispatcher.dispatch();
        assertEquals(List.of(102, 102), chunks().subList(4, 6).stream().map(Sent::peer).toList());
        reportChunk(dispatcher, second, 1);
        List<Integer> after = chunks().subList(6, chunks().size()).stream().map(Sent::peer).toList();
        assertEquals(second.holding() - 1, after.size(), "topped up to its new depth: " + second.holding());
        assertTrue(after.size() > 1 && after.stream().allMatch(peer -> peer == 101), after.toString());
    }

    /**
     * A run encoded for this machine's workers alone (none on another host was in the pool when it started: it may
     * hold this host's shared memory) never goes to a worker on another host, even one the pool has since; a run
     * encoded for every host goes to all.
     */
    @Test
    void aRunEncodedForThisHostAloneGoesToNoWorkerOnAnotherHost() {
        Dispatcher dispatcher = dispatcher(0);
        worker(0);
        WorkerHandle alpha = new WorkerHandle(1, 101, 5001, "alpha");
        roster.add(alpha);
        alpha.join(System.nanoTime());
        Run local = run(List.of());
        local.values = values;
        queue(dispatcher, local, 4, 1);
        dispatcher.dispatch();
        assertEquals(List.of(100, 100), chunks().stream().map(Sent::peer).toList(), "two slots of worker 0, none of alpha");
        assertEquals(2, local.queuedTasks());
        Run everywhere = run(List.of());
        everywhere.values = values.reaching("worker 1 on host alpha");
        queue(dispatcher, everywhere, 2, 1);
        dispatcher.dispatch();
        assertEquals(List.of(100, 100, 101, 101), chunks().stream().map(Sent::peer).toList());
    }

    @Test
    void aWorkerNotTimedYetHoldsTwoTasksAndTheRestWait() {
        Dispatcher dispatcher = dispatcher(0);
        WorkerHandle worker = worker(0);
        Run run = run(List.of());
        queue(dispatcher, run, 5, 1);
        dispatcher.dispatch();
        assertEquals(2, chunks().size());
        assertEquals(2, worker.holding());
        assertEquals(3, run.queuedTasks());
    }

    @Test
    void aTimedWorkerHoldsWhatFitsItsRecentTaskTimesBetweenTwoAndThirtyTwo() {
        Dispatcher dispatcher = dispatcher(0);
        WorkerHandle worker = worker(0);
        Run run = run(List.of());
        queue(dispatcher, run, 200, 1);
        dispatcher.dispatch();
        for (int report = 0; report < 20; report++) {
            int heldBefore = worker.holding();
            reportChunk(dispatcher, worker, report);
            int depth = Dispatcher.slots(worker.taskNanos());
            assertTrue(depth >= 2 && depth <= 32, "depth " + depth);
            // topped up to its depth; tasks already sent stay where they are when the depth shrinks
            assertEquals(Math.max(depth, heldBefore - 1), worker.holding(),
                    "after report " + report + ", task time " + worker.taskNanos() + " ns");
        }
    }

    @Test
    void theFunctionTravelsWithAWorkersFirstChunkOfARunOnly() {
        Dispatcher dispatcher = dispatcher(0);
        worker(0);
        worker(1);
        queue(dispatcher, run(List.of()), 4, 1);
        dispatcher.dispatch();
        List<Boolean> withFunction = chunks().stream()
                .map(s -> ((Message.RunChunk) s.message()).function() != null).toList();
        assertEquals(List.of(true, true, false, false), withFunction);
    }

    @Test
    void aWorkerGetsTheCodeItLacksAndTheRunsVariablesBeforeItsTask(@TempDir Path dir) throws Exception {
        SnippetLoader loader = new SnippetLoader(DispatcherTest.class.getClassLoader());
        loader.addToClasspath(Files.createDirectory(dir.resolve("first")).toString());
        Dispatcher dispatcher = dispatcher(new SnippetCode(loader, StackTraceElement::toString, ""), 0, Runnable::run);
        WorkerHandle worker = worker(0);
        List<Message.Variable> variables = List.of(new Message.Variable("REPL.$JShell$1", "x", values.encode(7, "x")));
        Run run = run(variables);
        queue(dispatcher, run, 3, 1);
        dispatcher.dispatch();
        assertEquals(List.of(Message.DefineCode.class, Message.SetVariables.class, Message.RunChunk.class,
                Message.RunChunk.class), kinds(), "code and variables once, before the first task");
        assertEquals(List.of(dir.resolve("first").toString()), jarNames(sent.get(0).message()));

        Files.writeString(Files.createDirectory(dir.resolve("second")).resolve("a.txt"), "not the same as first");
        loader.addToClasspath(dir.resolve("second").toString());
        sent.clear();
        reportDone(dispatcher, worker, new Message.RunChunk(worker.tasks().iterator().next().id, 0, null, null, 0, null),
                false);
        assertEquals(List.of(Message.DefineCode.class, Message.RunChunk.class), kinds(),
                "only the code added since, and the variables not again");
        assertEquals(List.of(dir.resolve("second").toString()), jarNames(sent.get(0).message()));
    }

    private static List<String> jarNames(Message define) {
        return ((Message.DefineCode) define).jars().stream().map(Message.Jar::name).toList();
    }

    private List<Class<?>> kinds() {
        return sent.stream().<Class<?>>map(s -> s.message().getClass()).toList();
    }

    @Test
    void aLeavingWorkerGetsNoNewTask() {
        Dispatcher dispatcher = dispatcher(0);
        WorkerHandle leaving = worker(0);
        worker(1);
        leaving.retire();
        queue(dispatcher, run(List.of()), 2, 1);
        dispatcher.dispatch();
        assertEquals(List.of(101, 101), chunks().stream().map(Sent::peer).toList());
        assertEquals(0, leaving.holding());
    }

    @Test
    void aWorkerIsHandedNoMoreThanItsQuotaAndItsInitializerIsNotCounted() {
        Dispatcher dispatcher = dispatcher(3);
        WorkerHandle worker = worker(0);
        Run init = new Run(ids.incrementAndGet(), RunListener.NONE, List.of(), ids.incrementAndGet(), new byte[0],
                Message.CallShape.NO_ARGUMENT, true, null, false, false);
        Task initTask = new Task(ids.incrementAndGet(), init, 0, 1, values.encodeAll(List.of(0), "element"), 0, null);
        init.holdsOnly(initTask);
        dispatcher.initialize(worker, initTask);
        reportChunk(dispatcher, worker, 0);
        assertEquals(0, worker.tasksAssigned());

        Run run = run(List.of());
        queue(dispatcher, run, 5, 1);
        dispatcher.dispatch();
        reportChunk(dispatcher, worker, 1);
        reportChunk(dispatcher, worker, 2);
        assertEquals(3, worker.tasksAssigned());
        assertTrue(dispatcher.quotaUsed(worker));
        assertEquals(4, chunks().size(), "the initializer and three tasks");
        assertEquals(2, run.queuedTasks());
    }

    @Test
    void aReportFreesTheSlotAtOnceButResultsReachTheRunOnlyOnceDecoded() {
        Dispatcher dispatcher = decodingByHand();
        WorkerHandle worker = worker(0);
        Run run = run(List.of());
        queue(dispatcher, run, 3, 2);
        dispatcher.dispatch();
        reportChunk(dispatcher, worker, 0, true);
        assertEquals(3, chunks().size(), "the third task went out before the first one's results were decoded");
        assertEquals(Map.of(), recorder.results);
        assertEquals(1, decodes.size());

        decodes.poll().run();
        assertEquals(Map.of(0L, List.of(0), 1L, List.of(10)), recorder.results);
        reportChunk(dispatcher, worker, 1, true);
        reportChunk(dispatcher, worker, 2, true);
        decodes.poll().run();
        assertFalse(recorder.finished, "a task still being decoded keeps its run open");
        decodes.poll().run();
        assertTrue(recorder.finished);
        assertEquals(6, recorder.results.size());
    }

    @Test
    void smallPlainDataIsDecodedAtOnceAndBigPlainDataByTheDecoder() {
        Dispatcher dispatcher = decodingByHand();
        WorkerHandle worker = worker(0);
        Run run = run(List.of());
        int big = Dispatcher.INLINE_DECODE_BYTES / Integer.BYTES + 1;
        queue(dispatcher, run, 1, 4);
        List<Integer> many = new ArrayList<>();
        for (int i = 0; i < big; i++) {
            many.add(4 + i);
        }
        Task bigTask = new Task(ids.incrementAndGet(), run, 4, big, values.encodeAll(many, "element"), -1, many);
        run.queue(bigTask);
        dispatcher.dispatch();

        reportChunk(dispatcher, worker, 0);
        assertEquals(0, decodes.size());
        assertEquals(Map.of(0L, 0, 1L, 10, 2L, 20, 3L, 30), recorder.results);

        reportChunk(dispatcher, worker, 1);
        assertEquals(1, decodes.size(), "more than " + Dispatcher.INLINE_DECODE_BYTES + " bytes go to the decoder");
        decodes.poll().run();
        assertEquals(4 + big, recorder.results.size());
        assertTrue(recorder.finished);
    }

    @Test
    void terminatingFailsTheTasksBeingDecodedAndDropsTheirLateResults() {
        Dispatcher dispatcher = decodingByHand();
        WorkerHandle worker = worker(0);
        Run run = run(List.of());
        queue(dispatcher, run, 1, 2);
        dispatcher.dispatch();
        reportChunk(dispatcher, worker, 0, true);
        synchronized (lock) {
            dispatcher.abandonAll("the pool was terminated");
        }
        assertTrue(recorder.finished);
        assertEquals(List.of(0L, 1L), recorder.failures.stream().map(TaskFailure::element).toList());
        assertEquals(TaskFailure.Kind.CANCELLED, recorder.failures.get(0).kind());

        decodes.poll().run();
        assertEquals(Map.of(), recorder.results, "results decoded after the run was given up are dropped");
    }

    @Test
    void aWorkerThatDiesGivesBackItsTasksTheStartedChunkOneElementPerTask() {
        Dispatcher dispatcher = dispatcher(0);
        WorkerHandle dying = worker(0);
        Run run = run(List.of());
        List<Task> tasks = queue(dispatcher, run, 2, 3);
        dispatcher.dispatch();
        assertEquals(2, dying.holding());
        synchronized (lock) {
            dying.ended("killed");
            dispatcher.lost(dying, TaskFailure.Kind.WORKER_DIED, "killed");
        }
        assertEquals(4, run.queuedTasks(), "three single-element tasks for the started chunk, the other chunk whole");
        assertEquals(List.of(), recorder.failures);
        assertNull(tasks.get(1).worker());
        assertEquals(0, tasks.get(1).attempts(), "the chunk that had not started was never attempted");
        assertEquals(List.of(3L), retried(run, List.of()),
                "the three elements of the started chunk are retried, counted on the dead worker, which keeps its row");

        WorkerHandle next = worker(1);
        sent.clear();
        dispatcher.dispatch();
        Message.RunChunk single = (Message.RunChunk) chunks().get(0).message();
        assertEquals(0, single.firstElement());
        synchronized (lock) {
            next.ended("killed again");
            dispatcher.lost(next, TaskFailure.Kind.WORKER_DIED, "killed again");
        }
        assertEquals(1, recorder.failures.size(), "a second death blames the element that was running");
        assertEquals(0, recorder.failures.get(0).element());
        assertEquals(TaskFailure.Kind.WORKER_DIED, recorder.failures.get(0).kind());
        assertEquals(List.of(3L, 0L), retried(run, List.of()), "an element that fails on its second try is not retried again");
    }

    /** The retried count of each worker row of the run's snapshot, by index. */
    private List<Long> retried(Run run, List<WorkerHandle> current) {
        synchronized (lock) {
            RunProgress progress = run.progress(current, List.of(), System.nanoTime());
            assertEquals(progress.workers().stream().mapToLong(RunProgress.Worker::retried).sum(), progress.retried());
            return progress.workers().stream().map(RunProgress.Worker::retried).toList();
        }
    }

    @Test
    void anUnresponsiveWorkersRunningTaskFailsAtOnceAndItsQueuedOneMoves() {
        Dispatcher dispatcher = dispatcher(0);
        WorkerHandle frozen = worker(0);
        Run run = run(List.of());
        queue(dispatcher, run, 2, 1);
        dispatcher.dispatch();
        synchronized (lock) {
            frozen.declareUnresponsive("stopped answering");
            frozen.ended("killed");
            dispatcher.lost(frozen, TaskFailure.Kind.WORKER_UNRESPONSIVE, frozen.deathCause());
        }
        assertEquals(1, recorder.failures.size());
        assertEquals(TaskFailure.Kind.WORKER_UNRESPONSIVE, recorder.failures.get(0).kind());
        assertEquals(0, recorder.failures.get(0).element());
        assertEquals(1, run.queuedTasks());
    }

    @Test
    void cancellingDropsQueuedTasksAndAsksWorkersToStopTheirs() {
        Dispatcher dispatcher = dispatcher(0);
        worker(0);
        Run run = run(List.of());
        List<Task> tasks = queue(dispatcher, run, 4, 1);
        dispatcher.dispatch();
        sent.clear();
        synchronized (lock) {
            dispatcher.cancel(run);
        }
        assertEquals(0, run.queuedTasks());
        assertEquals(List.of(tasks.get(0).id, tasks.get(1).id),
                sent.stream().map(s -> assertInstanceOf(Message.Cancel.class, s.message()).task()).toList());
        assertFalse(recorder.finished, "two tasks are still on the worker");
        assertNotNull(tasks.get(0).worker());
    }
}
