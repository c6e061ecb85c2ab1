package org.jparallel.kernel.maven;

/** The Maven settings file is not valid, or a password in it cannot be decrypted. */
public final class LibrarySettingsException extends LibraryException {

    public LibrarySettingsException(String message, Throwable cause) {
        super(message, cause);
    }
}
