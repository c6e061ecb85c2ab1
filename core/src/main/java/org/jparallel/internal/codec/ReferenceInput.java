package org.jparallel.internal.codec;

import java.io.IOException;

/**
 * The fields of a reference as a {@link ReferenceType} reads them, in the order its {@link SentByReference}
 * wrote them. Each read fails with a {@link CodecException} if the next field is not of the type asked for.
 */
public interface ReferenceInput {

    int readInt() throws IOException;

    long readLong() throws IOException;

    String readString() throws IOException;

    byte[] readBytes() throws IOException;
}
