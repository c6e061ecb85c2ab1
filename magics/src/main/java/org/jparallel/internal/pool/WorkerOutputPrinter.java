package org.jparallel.internal.pool;

import java.io.PrintStream;

/**
 * Prints what workers print, to this JVM's {@code System.out} and {@code System.err} (in a notebook,
 * the running cell), with a label line {@code [worker 1 · pid 4242]} whenever the writer changes, so
 * each worker's output reads as a group. What a worker writes outside any task (its own log, a thread
 * a task left running) has a printer of its own, whose label says so:
 * {@code [worker 1 · pid 4242 · outside any task]}. Thread-safe.
 */
public final class WorkerOutputPrinter {

    private final String labelSuffix;
    private int lastWorker = Integer.MIN_VALUE;
    private boolean lastError;
    private boolean atLineStart = true;

    /** A printer of what tasks print. */
    public WorkerOutputPrinter() {
        this("");
    }

    private WorkerOutputPrinter(String labelSuffix) {
        this.labelSuffix = labelSuffix;
    }

    /** A printer of what workers write outside any task. */
    static WorkerOutputPrinter outsideTasks() {
        return new WorkerOutputPrinter(" · outside any task");
    }

    /** Prints one piece of a worker's output. */
    public synchronized void print(int worker, long pid, boolean error, String text) {
        PrintStream stream = error ? System.err : System.out;
        if (worker != lastWorker || error != lastError) {
            if (!atLineStart) {
                (lastError ? System.err : System.out).println();
            }
            stream.println("[" + (worker >= 0 ? "worker " + worker : "process") + " · pid " + pid + labelSuffix + "]");
            lastWorker = worker;
            lastError = error;
        }
        stream.print(text);
        stream.flush();
        atLineStart = text.endsWith("\n");
    }
}
