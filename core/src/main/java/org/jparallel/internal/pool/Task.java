package org.jparallel.internal.pool;

import org.jparallel.api.TaskFailure;
import org.jparallel.internal.codec.ValueCodec;
import org.jparallel.internal.wire.Message;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * One message's worth of work: a chunk of a run's elements, or a run's snippets for one worker.
 * Its mutable fields — which worker holds it, when it was sent, how often — change only through its
 * methods, under the pool's lock: {@link WorkerHandle#handed} sends it, the {@link Dispatcher} puts it back.
 */
final class Task {

    final long id;
    final Run run;
    /** Index of the task's first element in the run, and how many elements it holds. */
    final long firstElement;
    final int size;
    /** Encoded elements for a chunk; null for snippets. */
    final byte[] elements;
    /** The worker index this task must run on, or -1 for any. */
    final int target;
    /** The elements as given, to name one in a failure report; null for snippets. */
    final List<?> originals;
    private int attempts;
    private WorkerHandle worker;
    /** When it was last sent to a worker ({@link System#nanoTime()}). */
    private long sentNanos;
    /** When its report came; how long its worker said it ran, and the worker's clock when it said so (0: not said). */
    private long reportedAt;
    private long ranNanos;
    private long workerEndNanos;
    /** How many of its elements the worker running it said it had finished (a progress message); 0 before. */
    private long doneSoFar;

    Task(long id, Run run, long firstElement, int size, byte[] elements, int target, List<?> originals) {
        this.originals = originals;
        this.id = id;
        this.run = run;
        this.firstElement = firstElement;
        this.size = size;
        this.elements = elements;
        this.target = target;
    }

    /**
     * This chunk as one task per element, each with this task's attempts: when a worker died running a chunk,
     * they are retried one by one, so a second death names the element that caused it and the others finish.
     */
    List<Task> perElement(LongSupplier ids, ValueCodec values) {
        List<Task> singles = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            List<?> one = originals.subList(i, i + 1);
            Task single = new Task(ids.getAsLong(), run, firstElement + i, 1,
                    values.encodeAll(one, "element", firstElement + i), target, one);
            single.attempts = attempts;
            singles.add(single);
        }
        return singles;
    }

    /** It was sent to {@code worker} (see {@link WorkerHandle#handed}). */
    void sentTo(WorkerHandle worker, long now) {
        this.worker = worker;
        this.sentNanos = now;
        attempts++;
    }

    /**
     * The worker that held it ended: it goes back to its run's queue. Unless it had {@code started}, that
     * sending does not count as an attempt.
     */
    void putBack(boolean started) {
        worker = null;
        doneSoFar = 0;
        if (!started) {
            attempts--;
        }
    }

    /** The worker running it finished {@code elements} of its elements so far (never more than it has). */
    void progressed(long elements) {
        doneSoFar = Math.max(doneSoFar, Math.min(elements, size));
    }

    long doneSoFar() {
        return doneSoFar;
    }

    /** The worker it was last sent to; null if it was never sent or was put back. */
    WorkerHandle worker() {
        return worker;
    }

    long sentNanos() {
        return sentNanos;
    }

    /**
     * Its report came at {@code reportedAt}: the worker had spent {@code ranNanos} on it, up to {@code workerEndNanos}
     * on the worker's own clock (both 0: not measured). See {@link SpanLog}.
     */
    void reported(long reportedAt, long ranNanos, long workerEndNanos) {
        this.reportedAt = reportedAt;
        this.ranNanos = ranNanos;
        this.workerEndNanos = workerEndNanos;
    }

    long reportedAt() {
        return reportedAt;
    }

    long ranNanos() {
        return ranNanos;
    }

    long workerEndNanos() {
        return workerEndNanos;
    }

    /** How many times it started on a worker. */
    int attempts() {
        return attempts;
    }

    /**
     * The failure of one of this task's elements that never came back from a worker: on {@code worker}
     * (null if it never reached one), for the reason {@code message}.
     */
    TaskFailure failure(TaskFailure.Kind kind, WorkerHandle worker, long element, String message) {
        return new TaskFailure(kind, worker == null ? -1 : worker.index, worker == null ? 0 : worker.pid,
                failedElement(element), elementText(element), null, message, List.of(), null);
    }

    /**
     * An element's index as a failure names it: -1 for a single call, whose argument is no element of an
     * input; the worker's index for snippets (a {@code %%parallel} cell), which run once per worker.
     */
    long failedElement(long element) {
        return run.singleCall ? -1 : run.snippets != null ? target : element;
    }

    /**
     * An element's value as text for a failure report, shortened; empty when there is no value to show
     * (snippets, a call without argument).
     */
    String elementText(long element) {
        if (originals == null || run.shape == Message.CallShape.NO_ARGUMENT) {
            return "";
        }
        String text = String.valueOf(originals.get((int) (element - firstElement)));
        if (text.isEmpty()) {
            return "\"\"";
        }
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
