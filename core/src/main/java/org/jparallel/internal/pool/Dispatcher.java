package org.jparallel.internal.pool;

import org.jparallel.api.TaskFailure;
import org.jparallel.internal.code.CodeSource;
import org.jparallel.internal.codec.CodecException;
import org.jparallel.internal.codec.ValueCodec;
import org.jparallel.internal.launch.TaskFailures;
import org.jparallel.internal.wire.Message;
import org.jparallel.internal.wire.WireServer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Hands tasks to workers and gathers what comes back. Runs are served in the order they started, each
 * task to the worker holding the fewest, and never more tasks than the pool's quota per worker. Before
 * a worker gets a task it gets any notebook code it lacks and the run's variable values. Every method
 * runs under the pool's lock.
 *
 * <p><b>How many tasks a worker holds.</b> At least two — one running, one queued behind it, so it never
 * waits for the kernel. Beyond that, as many as it runs in about 2 ms ({@link #QUEUED_WORK_NS}), judged
 * from how long its recent tasks took, up to {@value #MAX_TASKS_PER_WORKER}: a round trip to a worker
 * costs 60 to 150 microseconds on a small machine, so tiny tasks (many {@code applyAsync} calls, chunks of one element)
 * need many in flight to keep the worker busy, while long tasks stay two deep and the work stays
 * balanced: a worker never holds more than about 2 ms of queued work that an
 * idle worker could have done.
 */
final class Dispatcher {

    static final int MIN_TASKS_PER_WORKER = 2;
    static final int MAX_TASKS_PER_WORKER = 32;
    static final long QUEUED_WORK_NS = 2_000_000;

    private final WireServer wire;
    private final CodeSource code;
    private final ValueCodec values;
    private final Deque<Run> runs = new ArrayDeque<>();
    private final Runnable changed;
    private final Supervisor supervisor;
    private final int maxTasksPerWorker;
    private final LongSupplier ids;

    /**
     * @param maxTasksPerWorker how many tasks one worker process may be handed; 0 for no limit
     * @param ids               the pool's task ids, for the tasks a chunk is split into when retried
     */
    Dispatcher(Supervisor supervisor, WireServer wire, CodeSource code, ValueCodec values, int maxTasksPerWorker,
               LongSupplier ids, Runnable changed) {
        this.supervisor = supervisor;
        this.ids = ids;
        this.wire = wire;
        this.code = code;
        this.values = values;
        this.maxTasksPerWorker = maxTasksPerWorker;
        this.changed = changed;
    }

    void add(Run run) {
        runs.add(run);
    }

    boolean idle() {
        return runs.isEmpty();
    }

    /** The runs not finished yet, oldest first. */
    List<Run> openRuns() {
        return new ArrayList<>(runs);
    }

    /** Sends ready tasks to workers with a free slot. */
    void dispatch() {
        for (Run run : runs) {
            for (Iterator<Task> it = run.ready.iterator(); it.hasNext(); ) {
                Task task = it.next();
                WorkerHandle worker = pick(task.target);
                if (worker != null) {
                    it.remove();
                    worker.tasksAssigned++;
                    send(worker, task);
                } else if (task.target < 0) {
                    // no worker has a free slot, so no task of any run can go now: stop scanning (with
                    // thousands of queued runs, as after many applyAsync calls, scanning on is quadratic)
                    return;
                }
            }
        }
    }

    /**
     * Sends a worker that just said hello its initializer, ahead of any task: a worker runs what it
     * receives in order, so every task it gets later runs after it. Not counted in the worker's quota.
     */
    void initialize(WorkerHandle worker, Task initializer) {
        send(worker, initializer);
    }

    /** Whether this worker has been handed all the tasks it may run; it is replaced once they are done. */
    boolean quotaUsed(WorkerHandle worker) {
        return maxTasksPerWorker > 0 && worker.tasksAssigned >= maxTasksPerWorker;
    }

    private WorkerHandle pick(int target) {
        WorkerHandle best = null;
        for (WorkerHandle w : supervisor.workers) {
            boolean usable = (w.state == WorkerState.IDLE || w.state == WorkerState.BUSY)
                    && w.inFlight.size() < slots(w.taskNanos) && !quotaUsed(w) && (target < 0 || w.index == target);
            if (usable && (best == null || w.inFlight.size() < best.inFlight.size())) {
                best = w;
            }
        }
        return best;
    }

    /**
     * How many tasks a worker may hold (see the class comment), given how long its recent tasks took
     * (0 when none has been done yet).
     */
    static int slots(long taskNanos) {
        if (taskNanos == 0) {
            return MIN_TASKS_PER_WORKER;
        }
        long fit = QUEUED_WORK_NS / taskNanos;
        return (int) Math.max(MIN_TASKS_PER_WORKER, Math.min(MAX_TASKS_PER_WORKER, fit));
    }

    /**
     * Learns how long a task took on this worker: from when it could start — when it was sent, or when
     * the task before it ended — to its report. Smoothed with weight one half, so a switch from tiny to
     * long tasks is noticed by the next report.
     */
    private static void timed(WorkerHandle worker, Task task, long now) {
        long took = Math.max(1, now - Math.max(task.sentNanos, worker.lastDoneNanos));
        worker.taskNanos = worker.taskNanos == 0 ? took : (worker.taskNanos + took) / 2;
        worker.lastDoneNanos = now;
    }

    private void send(WorkerHandle worker, Task task) {
        Run run = task.run;
        if (code.classCount() > worker.classesSent || code.classpathCount() > worker.classpathSent) {
            Message.DefineCode define = code.codeAfter(worker.classesSent, worker.classpathSent);
            worker.classesSent += define.classes().size();
            worker.classpathSent += define.classpath().size();
            wire.send(worker.peer, define);
        }
        if (!run.variables.isEmpty() && worker.variablesOfRun != run.id) {
            wire.send(worker.peer, new Message.SetVariables(run.variables));
            worker.variablesOfRun = run.id;
        }
        Message message = run.snippets != null
                ? new Message.RunSnippets(task.id, run.snippets, run.keepValue)
                : new Message.RunChunk(task.id, run.functionId,
                run.functionSentTo.add(worker.peer) ? run.function : null, run.shape, task.firstElement, task.elements);
        wire.send(worker.peer, message);
        task.worker = worker;
        task.sentNanos = System.nanoTime();
        task.attempts++;
        worker.inFlight.put(task.id, task);
        worker.state = WorkerState.BUSY;
        run.listener.progress(progress(run, List.of(worker)));
    }

    /** A worker reported a task done: hand each element's result or failure to the run's listener. */
    void done(WorkerHandle worker, Message.Done done) {
        Task task = worker.inFlight.remove(done.task());
        if (task == null) {
            return; // its run was already given up
        }
        worker.tasksDone++;
        timed(worker, task, System.nanoTime());
        if (worker.inFlight.isEmpty() && worker.state == WorkerState.BUSY) {
            worker.state = WorkerState.IDLE;
        }
        Run run = task.run;
        run.tasksOut--;
        List<Message.Failure> failures = new ArrayList<>();
        Message.Failure wholeTask = null;
        for (Message.Failure f : done.failures()) {
            if (f.element() < 0) {
                wholeTask = f;
            } else {
                failures.add(f);
            }
        }
        List<Object> results;
        try {
            results = wholeTask == null ? values.decodeAll(done.results()) : List.of();
        } catch (CodecException e) {
            results = List.of();
            wholeTask = new Message.Failure(-1, Message.FailureKind.EXCEPTION, CodecException.class.getName(),
                    "the result could not be decoded in the kernel: " + e.getMessage(), List.of(), null);
        }
        if (wholeTask != null) {
            for (int i = 0; i < task.size; i++) {
                failElement(task, i, wholeTask, worker);
            }
        } else {
            // the results between failed elements go to the listener as spans
            failures.sort(Comparator.comparingLong(Message.Failure::element));
            int succeededFrom = 0;
            for (Message.Failure f : failures) {
                int i = (int) f.element();
                deliver(task, results, succeededFrom, i, worker);
                succeededFrom = i + 1;
                failElement(task, i, f, worker);
            }
            deliver(task, results, succeededFrom, task.size, worker);
        }
        if (run.failFast && run.failed > 0) {
            cancel(run);
        }
        run.listener.progress(progress(run, List.of(worker)));
        finishIfComplete(run);
    }

    private void failElement(Task task, int i, Message.Failure f, WorkerHandle worker) {
        if (f.kind() == Message.FailureKind.CANCELLED) {
            task.run.failed++;
        } else {
            task.run.fail(failure(f, task, task.firstElement + i, worker));
        }
    }

    /** Hands the listener the results of the task's elements {@code from} (inclusive) to {@code to}, if any. */
    private static void deliver(Task task, List<Object> results, int from, int to, WorkerHandle worker) {
        if (to > from) {
            task.run.done += to - from;
            task.run.listener.results(task.firstElement + from, results.subList(from, to), worker.index);
        }
    }

    /**
     * A worker ended holding tasks. It ran them one at a time, in the order it got them, so only the first had
     * started: that one is retried once on another worker (a chunk as one task per element, so that only
     * the element that kills a worker again is blamed), or fails with {@code kind} and {@code cause}: at
     * once if the worker was killed as unresponsive, since a task that froze one worker would freeze the
     * next. The others go to other workers as if never sent; a task only this worker could run fails,
     * saying it had not started. Every run it worked for hears of the worker's end at once.
     */
    void lost(WorkerHandle worker, TaskFailure.Kind kind, String cause) {
        List<Task> tasks = new ArrayList<>(worker.inFlight.values());
        worker.inFlight.clear();
        Set<Run> affected = new LinkedHashSet<>();
        // from the last, so that each put back at the front of its run's queue keeps its place
        for (int i = tasks.size() - 1; i >= 0; i--) {
            Task task = tasks.get(i);
            Run run = task.run;
            affected.add(run);
            boolean started = i == 0;
            if (!started) {
                task.attempts--; // sent, never run
            }
            boolean retry = !started || (kind == TaskFailure.Kind.WORKER_DIED && task.attempts < 2);
            if (task.target < 0 && retry && !run.cancelled) {
                requeue(task, started);
            } else {
                failAll(task, kind, worker, started ? cause
                        : "not started: " + worker.label() + " ended before it reached this task (" + cause + ")");
            }
        }
        for (Run run : affected) {
            run.listener.progress(progress(run, List.of(worker)));
            finishIfComplete(run);
        }
    }

    /** Puts a task back at the front of its run's queue; a chunk that had started goes back one task per element. */
    private void requeue(Task task, boolean started) {
        task.worker = null;
        Run run = task.run;
        if (!started || task.size == 1) {
            run.ready.addFirst(task);
            return;
        }
        List<Task> singles = task.perElement(ids, values);
        run.tasksOut += singles.size() - 1;
        for (int i = singles.size() - 1; i >= 0; i--) {
            run.ready.addFirst(singles.get(i));
        }
    }

    /** Tells each run with a task on this worker how the worker is doing now (it just went silent). */
    void reportWorker(WorkerHandle worker) {
        Set<Run> holding = new LinkedHashSet<>();
        for (Task task : worker.inFlight.values()) {
            holding.add(task.run);
        }
        for (Run run : holding) {
            run.listener.progress(progress(run, List.of(worker)));
        }
    }

    /**
     * The pool is being terminated: every element not done yet fails with {@code why}, and every run
     * finishes. A run still reading its input also fails at the element it would have read next, so
     * whoever reads its results learns that the rest of the input was never run.
     */
    void abandonAll(String why) {
        for (WorkerHandle worker : supervisor.live()) {
            for (Task task : worker.inFlight.values()) {
                failAll(task, TaskFailure.Kind.CANCELLED, worker, why);
            }
            worker.inFlight.clear();
        }
        for (Run run : new ArrayList<>(runs)) {
            run.ready.forEach(task -> failAll(task, TaskFailure.Kind.CANCELLED, null, why));
            run.ready.clear();
            if (!run.inputDone) {
                run.fail(new TaskFailure(TaskFailure.Kind.CANCELLED, -1, 0, run.elementsQueued, "", null,
                        why + " before the rest of the input, from element " + run.elementsQueued + " on, was read",
                        List.of(), null));
            }
            run.cancelled = true;
            run.inputDone = true;
            finishIfComplete(run);
        }
    }

    /**
     * A task will not come back: each of its elements fails with {@code why}, on the worker that held it
     * (null if none did). In a cancelled run they are only counted, as its caller knows why.
     */
    private static void failAll(Task task, TaskFailure.Kind kind, WorkerHandle worker, String why) {
        Run run = task.run;
        run.tasksOut--;
        for (int i = 0; i < task.size; i++) {
            if (run.cancelled) {
                run.failed++;
            } else {
                run.fail(task.failure(kind, worker, task.firstElement + i, why));
            }
        }
    }

    /** Stops a run: queued tasks are dropped, running ones asked to stop. */
    void cancel(Run run) {
        if (run.cancelled) {
            return;
        }
        run.cancelled = true;
        run.inputDone = true;
        for (Task task : run.ready) {
            run.tasksOut--;
            run.failed += task.size;
        }
        run.ready.clear();
        for (Task task : tasksOf(run)) {
            wire.send(task.worker.peer, new Message.Cancel(task.id));
        }
        finishIfComplete(run);
    }

    /** The tasks of a run that workers hold now (leaving workers included). */
    List<Task> tasksOf(Run run) {
        List<Task> held = new ArrayList<>();
        for (WorkerHandle w : supervisor.live()) {
            for (Task t : w.inFlight.values()) {
                if (t.run == run) {
                    held.add(t);
                }
            }
        }
        return held;
    }

    void finishIfComplete(Run run) {
        if (!run.finished && run.complete()) {
            run.finished = true;
            runs.remove(run);
            run.listener.finished();
        }
        changed.run();
    }

    RunProgress progress(Run run, List<WorkerHandle> workers) {
        List<RunProgress.WorkerProgress> rows = new ArrayList<>();
        for (WorkerHandle w : workers) {
            rows.add(new RunProgress.WorkerProgress(w.index, w.pid(), w.state, w.tasksDone, w.runningSinceNanos(),
                    w.silent ? w.lastHeardNanos : 0));
        }
        return new RunProgress(run.done, run.failed, run.inputDone ? run.elementsQueued : -1, run.startedNanos, rows);
    }

    private TaskFailure failure(Message.Failure f, Task task, long element, WorkerHandle worker) {
        return TaskFailures.of(f, worker.index, worker.pid(), task.failedElement(element), task.elementText(element),
                code);
    }
}
