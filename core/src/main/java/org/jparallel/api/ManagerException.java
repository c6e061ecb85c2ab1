package org.jparallel.api;

/**
 * A manager call failed in a way that is not the operation's own exception: the manager could not decode
 * a value, or the operation's exception could not be sent back (then the message describes it). An
 * exception the operation itself throws, such as {@code IndexOutOfBoundsException} from a list or any
 * exception of a {@code merge} function, comes back as itself instead.
 */
public class ManagerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A failure described by {@code message}. */
    public ManagerException(String message) {
        super(message);
    }

    /** A failure described by {@code message}, caused by {@code cause}. */
    public ManagerException(String message, Throwable cause) {
        super(message, cause);
    }
}
