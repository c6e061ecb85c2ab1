package org.jparallel.api;

/**
 * A {@link Manager} was used after it stopped: it was closed, its pool was closed, or the process it ran in
 * ended. Its objects are gone; proxies of them fail with this exception on every call, and the message says
 * which manager (port and pid).
 */
public class ManagerStoppedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /** A call to a stopped manager, described by {@code message}. */
    public ManagerStoppedException(String message) {
        super(message);
    }
}
