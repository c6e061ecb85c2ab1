package org.jparallel.internal.pool;

import org.jparallel.api.TaskFailure;
import org.jparallel.api.WorkerException;
import org.jparallel.internal.launch.WorkerOutputPrinter;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Collects a run's results and failures as they arrive, for callers that wait for all of them
 * ({@link #future}), or take them one by one ({@link #take}) in input order or in the order they
 * arrived. Worker output is printed to this JVM's {@code System.out}/{@code err}, labelled with the
 * worker. Thread-safe; waiting uses this object's monitor.
 *
 * <p>Results are kept as the workers' reports deliver them, a span of consecutive elements at a time,
 * so a map over a hundred thousand elements costs a few dozen entries here, not one per element.
 * A span is dropped once every element of it has been taken, so a lazy run keeps only its window.
 */
public final class Gatherer implements RunListener {

    /** Results of consecutive elements from one report; {@code next} counts those taken in arrival order. */
    private static final class Span {
        final long first;
        final List<Object> values;
        int next;

        Span(long first, List<Object> values) {
            this.first = first;
            this.values = values;
        }

        long end() {
            return first + values.size();
        }
    }

    private final TreeMap<Long, Span> spans = new TreeMap<>();
    private final TreeMap<Long, TaskFailure> failures = new TreeMap<>();
    /** Spans and failures not yet taken, in the order they arrived. */
    private final Deque<Object> arrivals = new ArrayDeque<>();
    private final CompletableFuture<List<Object>> future = new CompletableFuture<>();
    private final WorkerOutputPrinter printer;
    private boolean finished;
    private long emitted;
    private RuntimeException stoppedBy;

    public Gatherer(WorkerOutputPrinter printer) {
        this.printer = printer;
    }

    @Override
    public synchronized void results(long first, List<Object> values, int worker) {
        Span span = new Span(first, values);
        spans.put(first, span);
        arrivals.add(span);
        notifyAll();
    }

    @Override
    public synchronized void failure(TaskFailure failure) {
        failures.put(failure.element(), failure);
        arrivals.add(failure);
        notifyAll();
    }

    @Override
    public synchronized void stopped(RuntimeException why) {
        stoppedBy = why;
    }

    /** Why the run was stopped before its input was run to the end (see {@link RunListener#stopped}); null if it was not. */
    public synchronized RuntimeException stoppedBy() {
        return stoppedBy;
    }

    @Override
    public void output(int worker, long pid, boolean error, String text) {
        printer.print(worker, pid, error, text);
    }

    @Override
    public void finished() {
        printer.finish(); // what the output limit held back, the end of each worker's output, before the results
        List<Object> all;
        RuntimeException failed;
        synchronized (this) {
            finished = true;
            notifyAll();
            failed = stoppedBy != null ? stoppedBy
                    : failures.isEmpty() ? null : new WorkerException(new ArrayList<>(failures.values()));
            all = failed == null ? resultsInElementOrder() : null;
        }
        if (failed != null) {
            future.completeExceptionally(failed);
        } else {
            future.complete(all);
        }
    }

    /** Results so far in input order, failures left out. */
    public synchronized List<Object> resultsInElementOrder() {
        List<Object> all = new ArrayList<>();
        for (Span span : spans.values()) {
            all.addAll(span.values);
        }
        return all;
    }

    /**
     * One entry per element of a run of {@code elements} elements, in input order: its result, or null
     * where it failed or never ran. Places never shift: entry i is element i's.
     */
    public synchronized List<Object> resultsByElement(long elements) {
        List<Object> all = new ArrayList<>(Collections.nCopies(Math.toIntExact(elements), null));
        for (Span span : spans.values()) {
            for (int i = 0; i < span.values.size(); i++) {
                all.set(Math.toIntExact(span.first + i), span.values.get(i));
            }
        }
        return all;
    }

    /**
     * One entry per element of a run of {@code elements} elements, in the order they came back: a result,
     * or null where a failure came; elements that never ran (a cancelled run) are nulls at the end.
     */
    public synchronized List<Object> resultsByArrival(long elements) {
        List<Object> all = new ArrayList<>();
        for (Object arrival : arrivals) {
            if (arrival instanceof Span span) {
                all.addAll(span.values.subList(span.next, span.values.size()));
            } else {
                all.add(null);
            }
        }
        while (all.size() < elements) {
            all.add(null);
        }
        return all;
    }

    /** Every failure so far, in element order. */
    public synchronized List<TaskFailure> failures() {
        return new ArrayList<>(failures.values());
    }

    /**
     * Completes with every result in input order, or with a {@link WorkerException} listing the failures,
     * or with the reason the run was stopped early ({@link #stoppedBy}).
     */
    public CompletableFuture<List<Object>> future() {
        return future;
    }

    /** Whether a result can be taken now: the next in input order, or any when {@code ordered} is false. */
    public synchronized boolean ready(boolean ordered) {
        return ordered ? failures.containsKey(emitted) || spanOf(emitted) != null : !arrivals.isEmpty();
    }

    private Span spanOf(long element) {
        Map.Entry<Long, Span> entry = spans.floorEntry(element);
        return entry != null && element < entry.getValue().end() ? entry.getValue() : null;
    }

    /** Whether every element has come back. */
    public synchronized boolean isFinished() {
        return finished;
    }

    /** Waits until a result can be taken or the run is finished. */
    public synchronized void awaitReady(boolean ordered) throws InterruptedException {
        while (!ready(ordered) && !finished) {
            wait();
        }
    }

    /**
     * Takes the next result (in input order, or the next to arrive); throws {@link WorkerException}
     * if that element failed. Call only when {@link #ready} says so, and always with the same order.
     */
    public synchronized Object take(boolean ordered) {
        if (!ready(ordered)) {
            throw new NoSuchElementException("no result is ready");
        }
        emitted++;
        return ordered ? takeElement(emitted - 1) : takeArrival();
    }

    private Object takeElement(long element) {
        TaskFailure failure = failures.remove(element);
        if (failure != null) {
            arrivals.remove(failure);
            throw new WorkerException(List.of(failure));
        }
        Span span = spanOf(element);
        if (element == span.end() - 1) {
            spans.remove(span.first);
            arrivals.remove(span);
        }
        return span.values.get((int) (element - span.first));
    }

    private Object takeArrival() {
        Object arrival = arrivals.getFirst();
        if (arrival instanceof TaskFailure failure) {
            arrivals.removeFirst();
            failures.remove(failure.element());
            throw new WorkerException(List.of(failure));
        }
        Span span = (Span) arrival;
        Object value = span.values.get(span.next++);
        if (span.next == span.values.size()) {
            arrivals.removeFirst();
            spans.remove(span.first);
        }
        return value;
    }

    /** How many results were taken so far. */
    public synchronized long taken() {
        return emitted;
    }
}
