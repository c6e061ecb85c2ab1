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

    /**
     * A receiver of the value on another host, e.g. {@code worker 3 on host alpha}, or null if every process
     * the value may reach shares this host's memory. Hosts are told apart by how a process was started, not
     * by whether their memory happens to be the same: a worker started through ssh (or a cluster's scheduler)
     * is on another host even when ssh led back to this machine. A reference to this host's memory (a shared
     * object) refuses to be sent when this is not null.
     */
    String remoteReceiver();
}
