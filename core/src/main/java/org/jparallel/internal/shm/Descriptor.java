package org.jparallel.internal.shm;

import org.jparallel.internal.codec.ReferenceInput;
import org.jparallel.internal.codec.ReferenceOutput;

import java.io.IOException;

/**
 * How a shared object travels between processes: which segment file, where in it the object starts,
 * what it is and how many elements it has. Never its contents.
 *
 * @param kind   what the object is
 * @param path   the segment's file, absolute
 * @param offset where the object starts in the segment: 0 for the segment's own object,
 *               {@link Layout#LOCK_AT} for the lock of a value or array
 * @param length elements of an array, 1 for a value, 0 for a lock
 */
public record Descriptor(Kind kind, String path, int offset, int length) {

    /** Writes this descriptor as the fields of a value's reference (after tag 23): kind code, path, offset, length. */
    void writeTo(ReferenceOutput out) throws IOException {
        out.writeInt(kind.code());
        out.writeString(path);
        out.writeInt(offset);
        out.writeInt(length);
    }

    /**
     * The descriptor {@link #writeTo} wrote.
     *
     * @throws IllegalArgumentException if its kind code is unknown
     */
    static Descriptor readFrom(ReferenceInput in) throws IOException {
        return new Descriptor(Kind.ofCode(in.readInt()), in.readString(), in.readInt(), in.readInt());
    }
}
