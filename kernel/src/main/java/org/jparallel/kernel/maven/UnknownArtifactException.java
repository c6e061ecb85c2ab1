package org.jparallel.kernel.maven;

/** No repository tried has the artifact (or, offline, the local repository lacks it). */
public final class UnknownArtifactException extends LibraryException {

    public UnknownArtifactException(String message, Throwable cause) {
        super(message, cause);
    }
}
