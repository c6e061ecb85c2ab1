package org.jparallel.kernel.maven;

/** A repository to add has no usable id or URL, or one to remove is not there. */
public final class BadRepositoryException extends LibraryException {

    public BadRepositoryException(String message) {
        super(message);
    }
}
