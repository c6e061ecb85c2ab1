package org.jparallel.api;

/**
 * An item taken from a {@link SharedQueue}, {@link SharedSimpleQueue} or {@link SharedConnection} could not
 * be rebuilt in this process: a shared object inside it was released by the process that created it (its
 * memory is gone), or its class is not known here. The item is consumed; the queue or pipe stays usable.
 * Python raises the unpickling error (for a released segment, {@code FileNotFoundError}) in the same place.
 */
public class NotReceivableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message what could not be rebuilt and why; {@code cause} has the details */
    public NotReceivableException(String message, Throwable cause) {
        super(message, cause);
    }
}
