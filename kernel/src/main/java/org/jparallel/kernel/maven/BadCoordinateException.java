package org.jparallel.kernel.maven;

/** A coordinate is not {@code groupId:artifactId[:extension[:classifier]]:version}. */
public final class BadCoordinateException extends LibraryException {

    public BadCoordinateException(String message) {
        super(message);
    }
}
