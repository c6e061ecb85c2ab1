package org.jparallel.internal.pool;

import java.io.PrintStream;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Prints what workers print, to this JVM's {@code System.out} and {@code System.err} (in a notebook,
 * the running cell), with a label line {@code [worker 1 · pid 4242]} whenever the writer changes, so
 * each worker's output reads as a group. What a worker writes outside any task (its own log, a thread
 * a task left running) has a printer of its own, whose label says so:
 * {@code [worker 1 · pid 4242 · outside any task]}. Thread-safe.
 */
public final class WorkerOutputPrinter {

    private final Supplier<?> section;
    private final String labelSuffix;
    private Object lastSection;
    private String lastLabel;
    private boolean lastError;
    private boolean atLineStart = true;

    /** A printer for output that all goes to one place (one run, one cell). */
    public WorkerOutputPrinter() {
        this(() -> null);
    }

    /**
     * A printer for output that may go to several places over time, such as the cells of a notebook.
     *
     * @param section where output goes now; when it changes, the next writer is labelled again
     */
    public WorkerOutputPrinter(Supplier<?> section) {
        this(section, "");
    }

    private WorkerOutputPrinter(Supplier<?> section, String labelSuffix) {
        this.section = section;
        this.labelSuffix = labelSuffix;
    }

    /** A printer of what workers write outside any task. */
    static WorkerOutputPrinter outsideTasks() {
        return new WorkerOutputPrinter(() -> null, " · outside any task");
    }

    /** Prints one piece of a pool worker's output ({@code worker} -1: a stand-alone process). */
    public void print(int worker, long pid, boolean error, String text) {
        print(worker >= 0 ? "worker " + worker : "process", pid, error, text);
    }

    /** Prints one piece of output of the process named {@code writer}. */
    public synchronized void print(String writer, long pid, boolean error, String text) {
        String label = "[" + writer + " · pid " + pid + labelSuffix + "]";
        Object now = section.get();
        boolean sameSection = Objects.equals(now, lastSection);
        PrintStream stream = error ? System.err : System.out;
        if (!label.equals(lastLabel) || error != lastError || !sameSection) {
            if (!atLineStart && sameSection) {
                (lastError ? System.err : System.out).println();
            }
            stream.println(label);
            lastSection = now;
            lastLabel = label;
            lastError = error;
        }
        stream.print(text);
        stream.flush();
        atLineStart = text.endsWith("\n");
    }
}
