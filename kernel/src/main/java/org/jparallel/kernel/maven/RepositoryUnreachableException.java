package org.jparallel.kernel.maven;

/** A repository could not be reached (connection refused, unknown host, time out); names the URL tried. */
public final class RepositoryUnreachableException extends LibraryException {

    public RepositoryUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
