package org.jparallel.kernel.maven;

/** A POM file is missing, or Maven's model builder could not read it. */
public final class PomException extends LibraryException {

    public PomException(String message, Throwable cause) {
        super(message, cause);
    }
}
