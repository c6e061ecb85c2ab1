package org.jparallel.api;

/**
 * A {@link SharedQueue#put(Object, java.time.Duration)} found the queue still full when its time was up
 * (Python's {@code queue.Full}); nothing was put. Use {@code offer} to be told with {@code false} instead.
 */
public class QueueFullException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A put that timed out; {@code message} says on what queue and after how long. */
    public QueueFullException(String message) {
        super(message);
    }
}
