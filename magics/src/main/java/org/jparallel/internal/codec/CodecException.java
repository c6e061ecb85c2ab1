package org.jparallel.internal.codec;

/** Bytes that cannot be decoded: corrupt, from another version, or naming a class this JVM lacks. */
public final class CodecException extends RuntimeException {

    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }

    public CodecException(String message) {
        super(message);
    }
}
