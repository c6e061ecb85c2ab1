package org.jparallel.internal.pool;

import org.jparallel.api.TaskFailure;
import org.jparallel.api.WorkerException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Collects a run's results and failures as they arrive, for callers that wait for all of them
 * ({@link #future}), or take them one by one in input order ({@link #takeInOrder}) or in completion
 * order ({@link #takeAny}). Worker output is printed to this JVM's {@code System.out}/{@code err},
 * labelled with the worker. Thread-safe; waiting uses this object's monitor.
 */
public final class Gatherer implements RunListener {

    private final Map<Long, Object> results = new HashMap<>();
    private final Map<Long, TaskFailure> failures = new TreeMap<>();
    private final Deque<Long> arrivals = new ArrayDeque<>();
    private final CompletableFuture<List<Object>> future = new CompletableFuture<>();
    private final WorkerOutputPrinter printer;
    private boolean finished;
    private long emitted;

    public Gatherer(WorkerOutputPrinter printer) {
        this.printer = printer;
    }

    @Override
    public synchronized void result(long element, Object value, int worker) {
        results.put(element, value);
        arrivals.add(element);
        notifyAll();
    }

    @Override
    public synchronized void failure(TaskFailure failure) {
        failures.put(failure.element(), failure);
        arrivals.add(failure.element());
        notifyAll();
    }

    @Override
    public void output(int worker, long pid, boolean error, String text) {
        printer.print(worker, pid, error, text);
    }

    @Override
    public void finished() {
        List<Object> all;
        WorkerException failed;
        synchronized (this) {
            finished = true;
            notifyAll();
            failed = failures.isEmpty() ? null : new WorkerException(new ArrayList<>(failures.values()));
            all = failed == null ? inOrder() : null;
        }
        if (failed != null) {
            future.completeExceptionally(failed);
        } else {
            future.complete(all);
        }
    }

    private List<Object> inOrder() {
        if (results.containsKey(0L) && results.containsKey(results.size() - 1L)) {
            List<Object> all = new ArrayList<>(results.size());
            for (long i = 0; i < results.size(); i++) {
                all.add(results.get(i));
            }
            return all;
        }
        return new ArrayList<>(new TreeMap<>(results).values());
    }

    /** Results so far by element index, failures left out (for reporting what finished). */
    public synchronized Map<Long, Object> resultsByElement() {
        return new TreeMap<>(results);
    }

    /** Results so far in the order they arrived, failures left out. */
    public synchronized List<Object> resultsInArrivalOrder() {
        List<Object> all = new ArrayList<>(results.size());
        for (long element : arrivals) {
            if (results.containsKey(element)) {
                all.add(results.get(element));
            }
        }
        return all;
    }

    /** Every failure so far, in element order. */
    public synchronized List<TaskFailure> failures() {
        return new ArrayList<>(failures.values());
    }

    /** Completes with every result in input order, or with a {@link WorkerException} listing the failures. */
    public CompletableFuture<List<Object>> future() {
        return future;
    }

    /** Whether a result can be taken now: the next in input order, or any when {@code ordered} is false. */
    public synchronized boolean ready(boolean ordered) {
        return ordered ? results.containsKey(emitted) || failures.containsKey(emitted) : !arrivals.isEmpty();
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
     * if that element failed. Call only when {@link #ready} says so.
     */
    public synchronized Object take(boolean ordered) {
        if (!ready(ordered)) {
            throw new NoSuchElementException("no result is ready");
        }
        long element;
        if (ordered) {
            element = emitted;
            arrivals.remove(element);
        } else {
            element = arrivals.removeFirst();
        }
        emitted++;
        TaskFailure failure = failures.remove(element);
        if (failure != null) {
            throw new WorkerException(List.of(failure));
        }
        return results.remove(element);
    }

    /** How many results were taken so far. */
    public synchronized long taken() {
        return emitted;
    }
}
