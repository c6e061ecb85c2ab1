package org.jparallel.internal.codec;

/**
 * Bytes that cannot be decoded: malformed input, or a class the decoding JVM cannot find or build.
 * The message names the class or the position that failed.
 */
public class CodecException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A decoding failure described by {@code message}. */
    public CodecException(String message) {
        super(message);
    }

    /** A decoding failure described by {@code message}, caused by {@code cause}. */
    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
