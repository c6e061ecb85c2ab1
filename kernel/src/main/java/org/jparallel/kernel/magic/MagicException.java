package org.jparallel.kernel.magic;

/**
 * A magic could not do what its arguments asked. The message is written for the notebook user and is
 * shown in the cell as is, without a stack trace.
 */
public class MagicException extends RuntimeException {

    public MagicException(String message) {
        super(message, null, false, false);
    }

    public MagicException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
