package org.jparallel.internal.pool;

import org.jparallel.api.TaskFailure;
import org.jparallel.internal.wire.Message;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One parallel call as the pool sees it: a function and its elements, or snippets for some workers;
 * the tasks waiting for a worker; and counts of what came back. Fields are guarded by the pool's
 * lock; callers wait on that lock for changes.
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
    final boolean keepValue;
    final boolean failFast;
    final long startedNanos = System.nanoTime();

    final Deque<Task> ready = new ArrayDeque<>();
    final Set<Integer> functionSentTo = new HashSet<>();
    int tasksOut;
    long elementsQueued;
    boolean inputDone;
    long done;
    long failed;
    boolean cancelled;
    boolean finished;
    /** Whether a consumer reads its results as they come (imap): it may leave them unread, so a close does not wait. */
    boolean lazy;
    /** The thread reading its input in the background, if any: a stop interrupts it. */
    Thread inputReader;
    /** Why it was stopped before its input was run to the end, for whoever waits for it; null if it was not. */
    RuntimeException stoppedBy;

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
    }

    /** Whether every element is accounted for. */
    public boolean isFinished() {
        return finished;
    }

    /** How many elements were read from the input so far. */
    public long elementsQueued() {
        return elementsQueued;
    }

    void fail(TaskFailure failure) {
        failed++;
        listener.failure(failure);
    }

    boolean complete() {
        return inputDone && tasksOut == 0;
    }
}
