package org.jparallel.internal.pool;

import org.jparallel.api.RunProgress;
import org.jparallel.api.RunTimeline;
import org.jparallel.api.TaskFailure;
import org.jparallel.internal.codec.ValueCodec;
import org.jparallel.internal.wire.Message;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One parallel call as the pool sees it: a function and its elements, or snippets for some workers;
 * the tasks waiting for a worker; and counts of what came back.
 *
 * <p>Its counters and its queue change only through its methods, under the pool's lock: the
 * {@link InputFeeder} queues tasks and ends the input, the {@link Dispatcher} hands tasks out, takes
 * them back and counts what returns, the {@link RunWaiter} stops it. Callers wait on that lock for changes.
 * It is finished when its input is done and no task of it is out (queued, on a worker, or being decoded).
 */
public final class Run {

    final long id;
    final RunListener listener;
    final List<Message.Variable> variables;
    /** For function runs. */
    final long functionId;
    final byte[] function;
    final Message.CallShape shape;
    /** Whether this is one call ({@code apply}) rather than a map: its one element is no element of an input. */
    final boolean singleCall;
    /** For snippet runs. */
    final List<String> snippets;
    /** For snippet runs: whether the workers send back the last snippet's value. */
    final boolean keepValue;
    final boolean failFast;
    final long startedNanos;
    /**
     * What its elements are encoded with: set by the {@code InputFeeder} when the run starts, refusing this
     * host's shared memory if a worker it may reach runs on another host.
     */
    ValueCodec values;
    private final ProgressMeter meter;
    /** What each worker did for it, for its timeline. */
    final SpanLog spans;
    /** Wakes the threads waiting for it to finish ({@link RunWaiter#awaitFinished}). */
    final RunSignal signal = new RunSignal();

    private final Deque<Task> ready = new ArrayDeque<>();
    private final Set<Integer> functionSentTo = new HashSet<>();
    /** Tasks queued, on a worker, or being decoded: the run finishes when none is out and the input is done. */
    private int tasksOut;
    private long elementsQueued;
    private boolean inputDone;
    private long done;
    private long failed;
    /** Elements that did not run because it was stopped. */
    private long cancelledElements;
    private boolean cancelled;
    private boolean finished;
    /** Whether a consumer reads its results as they come (imap): it may leave them unread, so a close does not wait. */
    private boolean lazy;
    /** The thread reading its input in the background, if any: a stop interrupts it. */
    private Thread inputReader;
    /** Why it was stopped before its input was run to the end, for whoever waits for it; null if it was not. */
    private RuntimeException stoppedBy;

    Run(long id, RunListener listener, List<Message.Variable> variables, long functionId, byte[] function,
        Message.CallShape shape, boolean singleCall, List<String> snippets, boolean keepValue, boolean failFast) {
        this.id = id;
        this.listener = listener;
        this.variables = variables;
        this.functionId = functionId;
        this.function = function;
        this.shape = shape;
        this.singleCall = singleCall;
        this.snippets = snippets;
        this.keepValue = keepValue;
        this.failFast = failFast;
        this.startedNanos = System.nanoTime();
        this.meter = new ProgressMeter(startedNanos);
        this.spans = new SpanLog(startedNanos);
    }

    /**
     * Whether its tasks go to workers on this machine only: it was encoded for them alone (no worker on another
     * host was among its workers when it started), so it may hold this host's shared memory. A pool that has
     * grown back to its remote workers since then must not send it there.
     */
    boolean thisHostOnly() {
        return values != null && !values.reachesAnotherHost();
    }

    /** Whether every element is accounted for. */
    public boolean isFinished() {
        return finished;
    }

    /** How many elements were read from the input so far. */
    public long elementsQueued() {
        return elementsQueued;
    }

    long done() {
        return done;
    }

    boolean cancelled() {
        return cancelled;
    }

    boolean inputDone() {
        return inputDone;
    }

    // ---- input ----

    /** Queues a task of new elements (or of snippets for one worker). */
    void queue(Task task) {
        ready.add(task);
        tasksOut++;
        elementsQueued += task.size;
    }

    /** Its whole input is this one task, which the caller sends to a worker itself, not through the queue. */
    void holdsOnly(Task task) {
        tasksOut++;
        elementsQueued += task.size;
        inputDone = true;
    }

    /** How many tasks wait for a worker. */
    int queuedTasks() {
        return ready.size();
    }

    /** No more elements come. */
    void endInput() {
        inputDone = true;
    }

    /** Its results are read as they come (imap), so a close does not wait for it. */
    void readLazily() {
        lazy = true;
    }

    boolean lazy() {
        return lazy;
    }

    void readBy(Thread reader) {
        inputReader = reader;
    }

    /** Interrupts the thread that reads its input, unless that is the calling thread. */
    void stopReading() {
        if (inputReader != null && inputReader != Thread.currentThread()) {
            inputReader.interrupt();
        }
    }

    // ---- tasks ----

    /**
     * Offers its queued tasks, oldest first, to {@code send}, which returns whether a worker took the task
     * (it is then no longer queued). Returns false if a task that any worker could run was not taken: no
     * worker has a free slot, so no later task, of this run or another, can go either.
     */
    boolean handOut(Predicate<Task> send) {
        if (ready.isEmpty()) {
            return true; // most runs, when thousands are open (applyAsync): no iterator made
        }
        for (Iterator<Task> it = ready.iterator(); it.hasNext(); ) {
            Task task = it.next();
            if (send.test(task)) {
                it.remove();
            } else if (task.target < 0) {
                return false;
            }
        }
        return true;
    }

    /** Puts a task that was on a worker back at the front of the queue, to be sent again. */
    void putBackFirst(Task task) {
        ready.addFirst(task);
    }

    /** Puts back, at the front of the queue, the one-element tasks that replace a chunk that was on a worker. */
    void putBackFirst(List<Task> replacing) {
        tasksOut += replacing.size() - 1;
        for (int i = replacing.size() - 1; i >= 0; i--) {
            ready.addFirst(replacing.get(i));
        }
    }

    /** Whether {@code peer} is yet to get the function (with its first task of this run): it then has it. */
    boolean functionFirstSentTo(int peer) {
        return functionSentTo.add(peer);
    }

    /** A task came back, or will never come back: it is no longer out. */
    void taskSettled() {
        tasksOut--;
    }

    // ---- outcomes ----

    /** One of its tasks was handed to a worker. */
    void sent(long now) {
        meter.sent(now);
    }

    /** Hands the listener results of consecutive elements, from {@code first} on, that a worker reported. */
    void succeeded(long first, List<Object> values, WorkerHandle worker) {
        done += values.size();
        meter.finished(worker, values.size());
        listener.results(first, values, worker.index);
    }

    /** {@code worker} died running {@code elements} of its elements, which are run again on another worker. */
    void retried(WorkerHandle worker, long elements) {
        meter.retried(worker, elements);
    }

    /** An element failed, on {@code worker} (null if it never reached one). */
    void fail(TaskFailure failure, WorkerHandle worker) {
        failed++;
        meter.finished(worker, 1);
        listener.failure(failure);
    }

    /** Elements that did not run because the run was stopped: counted only, as its caller knows why. */
    void countCancelled(long elements) {
        cancelledElements += elements;
    }

    /** Whether it stops at its first failure and has had one. */
    boolean failedFast() {
        return failFast && failed > 0;
    }

    /**
     * Stops it: no more input, queued tasks dropped (their elements counted as cancelled). Returns false,
     * doing nothing, if it was already cancelled.
     */
    boolean cancel() {
        if (cancelled) {
            return false;
        }
        cancelled = true;
        inputDone = true;
        for (Task task : ready) {
            tasksOut--;
            cancelledElements += task.size;
        }
        ready.clear();
        return true;
    }

    /** Takes its queued tasks away (the pool is terminated): the caller fails them. */
    List<Task> takeQueued() {
        List<Task> queued = new ArrayList<>(ready);
        ready.clear();
        return queued;
    }

    /**
     * Gives it up (the pool is terminated), once its tasks were failed: a run still reading its input also
     * fails at the element it would have read next, so whoever reads its results learns that the rest of the
     * input was never run. It is cancelled.
     */
    void abandon(String why) {
        if (!inputDone) {
            fail(new TaskFailure(TaskFailure.Kind.CANCELLED, -1, 0, elementsQueued, "", null,
                    why + " before the rest of the input, from element " + elementsQueued + " on, was read",
                    List.of(), null), null);
        }
        cancelled = true;
        inputDone = true;
    }

    /**
     * Records why it is stopped before its input was run to the end, and tells the listener. Returns false,
     * doing nothing, if it was already cancelled or finished.
     */
    boolean stopFor(RuntimeException why) {
        if (cancelled || finished) {
            return false;
        }
        stoppedBy = why;
        listener.stopped(why);
        return true;
    }

    /**
     * Why it was stopped before its input was run to the end; null if it was not. Never changes once it
     * finished, so a thread that saw it finish through its {@link #signal} may read it without the pool's lock.
     */
    RuntimeException stoppedBy() {
        return stoppedBy;
    }

    /** Finishes it if every element is accounted for (telling the listener); returns whether it just finished. */
    boolean finishIfComplete() {
        if (finished || !inputDone || tasksOut != 0) {
            return false;
        }
        finished = true;
        listener.finished();
        return true;
    }

    /**
     * A snapshot of its progress at {@code now}: a row for each of the pool's {@code current} workers (and
     * for those gone that worked for it); the tasks of it that the {@code live} workers hold count the
     * elements they finished so far.
     */
    RunProgress progress(List<WorkerHandle> current, List<WorkerHandle> live, long now) {
        return meter.snapshot(done + failed, failed, cancelledElements, inputDone ? elementsQueued : -1, finished,
                current, live, this, now);
    }

    /** Its timeline at {@code now}: a row per worker that worked for it, and while it lasts per {@code current} one. */
    RunTimeline timeline(List<WorkerHandle> current, long now) {
        return spans.snapshot(current, now);
    }

    /** For a timeout message: how far the reading of an input not yet read to its end had come. */
    String unread() {
        return inputDone ? "" : "; the input was still being read, " + elementsQueued
                + " element(s) of the input had been read";
    }
}
