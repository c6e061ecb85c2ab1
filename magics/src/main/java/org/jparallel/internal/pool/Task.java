package org.jparallel.internal.pool;

import java.util.List;

/**
 * One message's worth of work: a chunk of a run's elements, or a run's snippets for one worker.
 * Mutable fields are guarded by the pool's lock.
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
    int attempts;
    WorkerHandle worker;
    /** When it was last sent to a worker ({@link System#nanoTime()}). */
    long sentNanos;

    Task(long id, Run run, long firstElement, int size, byte[] elements, int target, List<?> originals) {
        this.originals = originals;
        this.id = id;
        this.run = run;
        this.firstElement = firstElement;
        this.size = size;
        this.elements = elements;
        this.target = target;
    }

    /** An element's value as text for a failure report, shortened; empty for snippets. */
    String elementText(long element) {
        if (originals == null) {
            return "";
        }
        String text = String.valueOf(originals.get((int) (element - firstElement)));
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
