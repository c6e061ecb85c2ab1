package org.jparallel.internal.pool;

import org.jparallel.api.RunTimeline;
import org.jparallel.api.TaskFailure;
import org.jparallel.internal.code.CodeSource;
import org.jparallel.internal.code.JarShipping;
import org.jparallel.internal.codec.CodecException;
import org.jparallel.internal.codec.ValueCodec;
import org.jparallel.internal.launch.TaskFailures;
import org.jparallel.internal.wire.Message;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Hands tasks to workers and gathers what comes back. Runs are served in the order they started, each
 * task to the worker holding the fewest, and never more tasks than the pool's quota per worker. Before
 * a worker gets a task it gets any notebook code it lacks and the run's variable values. Messages go out
 * through an {@link Outbox}. Every method runs under the pool's lock (the {@code lock} it is given), and
 * hands the {@link Run}s, {@link Task}s and {@link WorkerHandle}s it changes to their own methods.
 *
 * <p><b>Where results are decoded.</b> Not on the thread that reports a task done (the wire's selector,
 * which also reads every other worker's messages and heartbeats), and not under the lock: decoding runs
 * the receiver's code (record constructors, {@code hashCode}, {@code readObject}) and a big result takes
 * long. A worker's report frees its slot at once, so it gets its next task; the results are decoded on the
 * {@code decoder} executor and then, under the lock, handed to the run. Until then the task counts as out,
 * so its run finishes only after its results. Only small plain data (boxes, strings: no code of any class
 * runs) is decoded at once, where a hand-off would cost more ({@link #INLINE_DECODE_BYTES}).
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
    /**
     * Plain data up to this size is decoded at once, on the reporting thread: it runs no class's code, and
     * takes about 1.1 µs per KiB (20 µs here), less than handing it to a decoder thread. Decoding every
     * result on a decoder thread made 2,000 {@code applyAsync} calls of an int take 166 to 221 ms
     * instead of 78 (a thread hand-off per result, on a loaded 2-core machine).
     */
    static final int INLINE_DECODE_BYTES = 16 * 1024;

    private final WorkerRoster workers;
    private final Outbox outbox;
    private final CodeSource code;
    private final ValueCodec values;
    private final Deque<Run> runs = new ArrayDeque<>();
    private final int maxTasksPerWorker;
    private final LongSupplier ids;
    private final Object lock;
    private final Executor decoder;
    /** The time, {@link System#nanoTime()} but in tests that play a run on a clock of their own. */
    private final LongSupplier clock;
    /** Tasks reported done whose results are being decoded. */
    private final Set<Task> decoding = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Whether runs that finish now are signalled later ({@link #deferSignals}), and those that did. */
    private boolean deferringSignals;
    private final List<Run> finishedUnsignalled = new ArrayList<>();

    /**
     * @param maxTasksPerWorker how many tasks one worker process may be handed; 0 for no limit
     * @param ids               the pool's task ids, for the tasks a chunk is split into when retried
     * @param lock              the pool's lock: callers hold it; changes are announced with its {@code notifyAll}
     * @param decoder           where reported results are decoded, off the caller's thread (see the class comment)
     */
    Dispatcher(WorkerRoster workers, Outbox outbox, CodeSource code, ValueCodec values, int maxTasksPerWorker,
               LongSupplier ids, Object lock, Executor decoder) {
        this(workers, outbox, code, values, maxTasksPerWorker, ids, lock, decoder, System::nanoTime);
    }

    /** @param clock the time in nanoseconds, as {@link System#nanoTime()} gives it */
    Dispatcher(WorkerRoster workers, Outbox outbox, CodeSource code, ValueCodec values, int maxTasksPerWorker,
               LongSupplier ids, Object lock, Executor decoder, LongSupplier clock) {
        this.clock = clock;
        this.workers = workers;
        this.outbox = outbox;
        this.code = code;
        this.values = values;
        this.maxTasksPerWorker = maxTasksPerWorker;
        this.ids = ids;
        this.lock = lock;
        this.decoder = decoder;
    }

    void add(Run run) {
        runs.add(run);
        run.spans.attend(workers.current());
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
        boolean mixed = workers.anyOnAnotherHost();
        for (Run run : runs) {
            // when no worker has a free slot, no task of any run can go now: stop scanning (with thousands
            // of queued runs, as after many applyAsync calls, scanning on is quadratic); but a run for this
            // machine's workers alone, in a pool that also has others, leaves free slots to the runs after it
            if (!run.handOut(sendToFreeWorker) && !(mixed && run.thisHostOnly())) {
                return;
            }
        }
    }

    /** Sends a task to the worker best placed to take it, if one has a free slot; made once, as dispatch is hot. */
    private final Predicate<Task> sendToFreeWorker = task -> {
        WorkerHandle worker = pick(task.target, task.run.thisHostOnly());
        if (worker == null) {
            return false;
        }
        send(worker, task, true);
        return true;
    };

    /**
     * Sends a worker that just said hello its initializer, ahead of any task: a worker runs what it
     * receives in order, so every task it gets later runs after it. Not counted in the worker's quota.
     */
    void initialize(WorkerHandle worker, Task initializer) {
        send(worker, initializer, false);
    }

    /** Whether this worker has been handed all the tasks it may run; it is replaced once they are done. */
    boolean quotaUsed(WorkerHandle worker) {
        return maxTasksPerWorker > 0 && worker.tasksAssigned() >= maxTasksPerWorker;
    }

    /**
     * The worker best placed to take a task for {@code target} (-1: any), on this machine if {@code thisHostOnly}:
     * of those with a free slot, the first holding the fewest. Only the workers the roster says may have a free slot
     * are looked at, and those found full are struck off until they give a task back: while every slot is taken, as
     * in a map of chunk size 1, a report used to make this look at every worker twice: the kernel's dispatching
     * CPU per task went from 1.0-1.2 µs with 2 workers to 10.3-11.1 with 256, and is 1.1-1.7 at any size now
     * (bench/DispatchCost.java).
     */
    private WorkerHandle pick(int target, boolean thisHostOnly) {
        List<WorkerHandle> current = workers.current();
        WorkerHandle best = null;
        for (int i = workers.nextMayHaveFreeSlot(0); i >= 0; i = workers.nextMayHaveFreeSlot(i + 1)) {
            WorkerHandle w = current.get(i);
            int held = w.holding();
            if (held >= w.slots() || !w.takesTasks() || quotaUsed(w)) {
                workers.full(i);
                continue;
            }
            if ((best != null && held >= best.holding()) || (target >= 0 && w.index != target)
                    || (thisHostOnly && w.host != null)) {
                continue; // no better than the one found, or not one this task may go to
            }
            best = w;
            if (held == 0) {
                break; // none holds fewer: an idle pool's task (an apply) does not look further
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

    private void send(WorkerHandle worker, Task task, boolean counted) {
        Run run = task.run;
        Message.DefineCode missing = worker.takeMissingCode(code);
        if (missing != null) {
            outbox.send(worker.peer, missing);
        }
        if (worker.takeVariablesOf(run)) {
            outbox.send(worker.peer, new Message.SetVariables(run.variables));
        }
        Message message = run.snippets != null
                ? new Message.RunSnippets(task.id, run.snippets, run.keepValue)
                : new Message.RunChunk(task.id, run.functionId,
                run.functionFirstSentTo(worker.peer) ? run.function : null, run.shape, task.firstElement, task.elements);
        outbox.send(worker.peer, message);
        long now = clock.getAsLong();
        worker.handed(task, counted, now);
        run.sent(now);
    }

    /**
     * A worker reported a task done. Its slot is free at once; the results are decoded on the decoder, then
     * each element's result or failure goes to the run's listener (see the class comment).
     */
    void done(WorkerHandle worker, Message.Done done) {
        long now = clock.getAsLong();
        Task task = worker.gaveBack(done.task(), now);
        if (task == null) {
            return; // its run was already given up
        }
        task.reported(now, done.ranNanos(), done.endNanos());
        if (ValueCodec.isPlainData(done.results()) && done.results().length <= INLINE_DECODE_BYTES) {
            reported(task, worker, Report.of(done, values));
            return;
        }
        decoding.add(task);
        decoder.execute(() -> {
            Report report = Report.of(done, values);
            synchronized (lock) {
                if (decoding.remove(task)) { // else the pool was terminated meanwhile and the task failed
                    reported(task, worker, report);
                }
            }
        });
    }

    /** A task's report, decoded: the results, or the failure of the whole task; and the failed elements. */
    private record Report(List<Object> results, Message.Failure wholeTask, List<Message.Failure> failures) {

        static Report of(Message.Done done, ValueCodec values) {
            List<Message.Failure> failures = new ArrayList<>();
            Message.Failure wholeTask = null;
            for (Message.Failure f : done.failures()) {
                if (f.element() < 0) {
                    wholeTask = f;
                } else {
                    failures.add(f);
                }
            }
            if (wholeTask != null) {
                return new Report(List.of(), wholeTask, failures);
            }
            try {
                return new Report(values.decodeAll(done.results()), null, failures);
            } catch (CodecException e) {
                return new Report(List.of(), new Message.Failure(-1, Message.FailureKind.EXCEPTION,
                        CodecException.class.getName(), "the result could not be decoded in the kernel: "
                        + e.getMessage(), List.of(), null), failures);
            }
        }
    }

    private void reported(Task task, WorkerHandle worker, Report report) {
        Run run = task.run;
        run.taskSettled();
        run.spans.reported(task, worker, outcome(run, report));
        if (report.wholeTask() != null) {
            for (int i = 0; i < task.size; i++) {
                failElement(task, i, report.wholeTask(), worker);
            }
        } else {
            // the results between failed elements go to the listener as spans
            List<Message.Failure> failures = new ArrayList<>(report.failures());
            failures.sort(Comparator.comparingLong(Message.Failure::element));
            int succeededFrom = 0;
            for (Message.Failure f : failures) {
                int i = (int) f.element();
                deliver(task, report.results(), succeededFrom, i, worker);
                succeededFrom = i + 1;
                failElement(task, i, f, worker);
            }
            deliver(task, report.results(), succeededFrom, task.size, worker);
        }
        if (run.failedFast()) {
            cancel(run);
        }
        finishIfComplete(run);
    }

    /** How a reported task ended, for the timeline: failed if an element failed but for a stop (see {@link #failElement}). */
    private static RunTimeline.Outcome outcome(Run run, Report report) {
        Message.Failure whole = report.wholeTask();
        if (whole == null && report.failures().isEmpty()) {
            return RunTimeline.Outcome.DONE; // most tasks: nothing to look at, nothing allocated
        }
        boolean onlyStops = whole == null || whole.kind() == Message.FailureKind.CANCELLED;
        for (Message.Failure f : report.failures()) {
            onlyStops &= f.kind() == Message.FailureKind.CANCELLED;
        }
        return run.cancelled() || onlyStops ? RunTimeline.Outcome.CANCELLED : RunTimeline.Outcome.FAILED;
    }

    /**
     * An element of a task failed on its worker. In a stopped run it counts as cancelled, whatever the worker
     * says: a task interrupted by the stop throws (an {@code InterruptedException}, a stop check) where it was.
     */
    private void failElement(Task task, int i, Message.Failure f, WorkerHandle worker) {
        if (f.kind() == Message.FailureKind.CANCELLED || task.run.cancelled()) {
            task.run.countCancelled(1);
        } else {
            task.run.fail(TaskFailures.of(f, worker.index, worker.pid, task.failedElement(task.firstElement + i),
                    task.elementText(task.firstElement + i), code), worker);
        }
    }

    /** Hands the run the results of the task's elements {@code from} (inclusive) to {@code to}, if any. */
    private static void deliver(Task task, List<Object> results, int from, int to, WorkerHandle worker) {
        if (to > from) {
            task.run.succeeded(task.firstElement + from, results.subList(from, to), worker);
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
        List<Task> tasks = worker.takeAll();
        Set<Run> affected = new LinkedHashSet<>();
        long now = clock.getAsLong();
        // from the last, so that each put back at the front of its run's queue keeps its place
        for (int i = tasks.size() - 1; i >= 0; i--) {
            Task task = tasks.get(i);
            Run run = task.run;
            affected.add(run);
            boolean started = i == 0;
            boolean retry = !started || (kind == TaskFailure.Kind.WORKER_DIED && task.attempts() < 2);
            boolean again = task.target < 0 && retry && !run.cancelled();
            if (started) {
                run.spans.unreported(task, worker, run.cancelled() ? RunTimeline.Outcome.CANCELLED
                        : again ? RunTimeline.Outcome.RETRIED : RunTimeline.Outcome.LOST, now);
            }
            if (again) {
                if (started) {
                    run.retried(worker, task.size);
                }
                requeue(task, started);
            } else {
                failAll(task, kind, worker, started ? cause
                        : "not started: " + worker.label() + " ended before it reached this task (" + cause + ")");
            }
        }
        for (Run run : affected) {
            finishIfComplete(run);
        }
    }

    /** Puts a task back at the front of its run's queue; a chunk that had started goes back one task per element. */
    private void requeue(Task task, boolean started) {
        task.putBack(started);
        if (!started || task.size == 1) {
            task.run.putBackFirst(task);
        } else {
            task.run.putBackFirst(task.perElement(ids, values));
        }
    }

    /**
     * A worker said how many elements of a task it runs it has finished (a {@link Message.Progress}); the
     * run's progress counts them until the task's report comes.
     */
    void progressed(WorkerHandle worker, Message.Progress progress) {
        Task task = worker.task(progress.task());
        if (task != null) {
            task.progressed(progress.elementsDone());
        }
    }

    /**
     * A worker's host lacks a jar of the code: the next part of it is sent to it (off this thread, see
     * {@link JarShipping}); a request for the first part counts as a jar fetched.
     */
    void fetchJar(WorkerHandle worker, Message.FetchJar fetch) {
        if (fetch.offset() == 0) {
            worker.fetchedJar();
        }
        JarShipping.answer(fetch, code, answer -> outbox.send(worker.peer, answer));
    }

    /**
     * The pool is being terminated: every element not done yet fails with {@code why} — those on workers,
     * those queued, and those whose results are being decoded — and every run finishes (see
     * {@link Run#abandon}).
     */
    void abandonAll(String why) {
        long now = clock.getAsLong();
        for (WorkerHandle worker : workers.live()) {
            List<Task> held = worker.takeAll();
            if (!held.isEmpty()) { // the first had started (see lost)
                held.get(0).run.spans.unreported(held.get(0), worker, RunTimeline.Outcome.CANCELLED, now);
            }
            for (Task task : held) {
                failAll(task, TaskFailure.Kind.CANCELLED, worker, why);
            }
        }
        for (Task task : decoding) {
            task.run.spans.reported(task, task.worker(), RunTimeline.Outcome.CANCELLED);
            failAll(task, TaskFailure.Kind.CANCELLED, null, why);
        }
        decoding.clear();
        for (Run run : new ArrayList<>(runs)) {
            run.takeQueued().forEach(task -> failAll(task, TaskFailure.Kind.CANCELLED, null, why));
            run.abandon(why);
            finishIfComplete(run);
        }
    }

    /**
     * A task will not come back: each of its elements fails with {@code why}, on the worker that held it
     * (null if none did). In a cancelled run they are only counted, as its caller knows why.
     */
    private static void failAll(Task task, TaskFailure.Kind kind, WorkerHandle worker, String why) {
        Run run = task.run;
        run.taskSettled();
        if (run.cancelled()) {
            run.countCancelled(task.size);
            return;
        }
        for (int i = 0; i < task.size; i++) {
            run.fail(task.failure(kind, worker, task.firstElement + i, why), worker);
        }
    }

    /** Stops a run: queued tasks are dropped, running ones asked to stop. */
    void cancel(Run run) {
        if (!run.cancel()) {
            return;
        }
        for (Task task : tasksOf(run)) {
            outbox.send(task.worker().peer, new Message.Cancel(task.id));
        }
        finishIfComplete(run);
    }

    /** The tasks of a run that workers hold now (leaving workers included). */
    List<Task> tasksOf(Run run) {
        List<Task> held = new ArrayList<>();
        for (WorkerHandle w : workers.live()) {
            for (Task t : w.tasks()) {
                if (t.run == run) {
                    held.add(t);
                }
            }
        }
        return held;
    }

    void finishIfComplete(Run run) {
        if (run.finishIfComplete()) {
            run.spans.ended(clock.getAsLong());
            runs.remove(run);
            if (deferringSignals) {
                finishedUnsignalled.add(run);
            } else {
                run.signal.finish();
            }
        }
        lock.notifyAll();
    }

    /**
     * From now until {@link #takeUnsignalled}, a run that finishes is not signalled at once: the caller signals
     * it once it has released the pool's lock, so that the waiter it wakes does not find the lock still held
     * (and sleep again) as its next call begins. For the handling of a worker's message, on the wire's thread.
     */
    void deferSignals() {
        deferringSignals = true;
    }

    /** The runs that finished since {@link #deferSignals}, to be signalled ({@link RunSignal#finish}); signals at once again. */
    List<Run> takeUnsignalled() {
        deferringSignals = false;
        if (finishedUnsignalled.isEmpty()) {
            return List.of();
        }
        List<Run> finished = new ArrayList<>(finishedUnsignalled);
        finishedUnsignalled.clear();
        return finished;
    }
}
