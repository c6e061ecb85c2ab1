package org.jparallel.kernel.maven;

import org.jparallel.kernel.magic.MagicException;

/**
 * A library could not be resolved or loaded. The cell shows it as one line named after its type
 * ({@code UnknownArtifactException: ...}); nothing was added to the notebook when it is thrown.
 */
public abstract class LibraryException extends MagicException {

    protected LibraryException(String message) {
        super(message);
    }

    protected LibraryException(String message, Throwable cause) {
        super(message, cause);
    }
}
