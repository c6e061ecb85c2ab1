package org.jparallel.internal.pool;

import java.io.PrintStream;

/**
 * Prints what workers print, to this JVM's {@code System.out} and {@code System.err} (in a notebook,
 * the running cell), with a label line {@code [worker 1 · pid 4242]} whenever the writer changes, so
 * each worker's output reads as a group. Thread-safe.
 */
public final class WorkerOutputPrinter {

    private int lastWorker = Integer.MIN_VALUE;
    private boolean lastError;
    private boolean atLineStart = true;

    /** Prints one piece of a worker's output. */
    public synchronized void print(int worker, long pid, boolean error, String text) {
        PrintStream stream = error ? System.err : System.out;
        if (worker != lastWorker || error != lastError) {
            if (!atLineStart) {
                (lastError ? System.err : System.out).println();
            }
            stream.println("[" + (worker >= 0 ? "worker " + worker : "process") + " · pid " + pid + "]");
            lastWorker = worker;
            lastError = error;
        }
        stream.print(text);
        stream.flush();
        atLineStart = text.endsWith("\n");
    }
}
