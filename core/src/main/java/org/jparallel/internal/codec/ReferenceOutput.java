package org.jparallel.internal.codec;

import org.jparallel.api.NotSendableException;

import java.io.IOException;

/**
 * Where a {@link SentByReference} writes the fields of its reference (the codec's encoding, without Jackson
 * types), and where in the value being sent it is, for a {@link NotSendableException} of its own.
 */
public interface ReferenceOutput {

    void writeInt(int value) throws IOException;

    /** A long; the reader's {@link ReferenceInput#readLong()} also takes one that fits in an int. */
    void writeLong(long value) throws IOException;

    void writeString(String value) throws IOException;

    void writeBytes(byte[] value) throws IOException;

    /** What the value being sent is called, e.g. {@code counter} or {@code element 17}. */
    String valueName();

    /** A short name of the type of the value being sent as a whole. */
    String valueType();

    /** Where the object being written is inside the value, e.g. {@code jobs[2].counter}. */
    String path();
}
