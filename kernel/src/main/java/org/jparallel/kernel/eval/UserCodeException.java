package org.jparallel.kernel.eval;

import java.util.List;

/**
 * Code in a cell threw. Carries the user's exception class name and message, and its stack trace
 * trimmed to the frames of notebook code, each placed at its cell and line.
 */
public final class UserCodeException extends RuntimeException {

    private final String exceptionClass;
    private final List<String> frames;
    private final UserCodeException userCause;

    UserCodeException(String exceptionClass, String message, List<String> frames, UserCodeException userCause) {
        super(message, null, false, false);
        this.exceptionClass = exceptionClass;
        this.frames = List.copyOf(frames);
        this.userCause = userCause;
    }

    /** The fully qualified class name of what the user's code threw. */
    public String exceptionClass() {
        return exceptionClass;
    }

    /** Stack frames, innermost first, as {@code method (cell[3] line 2)} or a library frame. */
    public List<String> frames() {
        return frames;
    }

    /** The cause the user's exception carried, or null. */
    public UserCodeException userCause() {
        return userCause;
    }
}
