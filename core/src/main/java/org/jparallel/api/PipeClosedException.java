package org.jparallel.api;

/**
 * The other end of a {@link SharedPipe} is closed: {@link SharedConnection#recv()} received every message it
 * sent (Python's {@code EOFError}), or {@link SharedConnection#send} has nobody to send to (Python's
 * {@code BrokenPipeError}).
 */
public class PipeClosedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The other end is closed; {@code message} says which operation found it. */
    public PipeClosedException(String message) {
        super(message);
    }
}
