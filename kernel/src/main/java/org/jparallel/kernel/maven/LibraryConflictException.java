package org.jparallel.kernel.maven;

/**
 * A resolved artifact is another version of one the notebook already loaded. The JVM cannot unload a
 * class, so the first version stays; names both jars.
 */
public final class LibraryConflictException extends LibraryException {

    public LibraryConflictException(String message) {
        super(message);
    }
}
