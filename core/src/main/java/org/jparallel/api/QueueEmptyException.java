package org.jparallel.api;

/**
 * A {@link SharedQueue#get(java.time.Duration)} found the queue still empty when its time was up (Python's
 * {@code queue.Empty}). Use {@code poll} to be given null instead.
 */
public class QueueEmptyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A get that timed out; {@code message} says on what queue and after how long. */
    public QueueEmptyException(String message) {
        super(message);
    }
}
