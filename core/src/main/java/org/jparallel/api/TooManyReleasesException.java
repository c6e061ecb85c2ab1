package org.jparallel.api;

/**
 * A bounded semaphore was released more often than it was acquired (Python's {@code BoundedSemaphore}
 * raises {@code ValueError} here), or a semaphore would hold more permits than an {@code int} can count.
 */
public class TooManyReleasesException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /** A release refused with {@code message}, which says what the semaphore holds. */
    public TooManyReleasesException(String message) {
        super(message);
    }
}
