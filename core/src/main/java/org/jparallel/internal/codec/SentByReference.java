package org.jparallel.internal.codec;

import java.io.IOException;

/**
 * A value that travels as a reference to itself, never as a copy of its contents: a shared-memory object
 * (its segment's descriptor), a manager's proxy (its server's address and the object's id). The codec
 * writes {@code [tag, fields...]}, the tag being {@link #referenceType()}'s, and the receiver's
 * {@link ReferenceType} with that tag turns the fields back into an object. The sharing rules live on the
 * shared type; the codec knows only this interface.
 *
 * <p>Decided once per class, before anything else ({@code Classifier}): a class that implements this is
 * sent by reference even if it is also a map or a list.
 */
public interface SentByReference {

    /** The type of reference this object is sent as: its tag, and how a receiver opens it. */
    ReferenceType referenceType();

    /**
     * Writes the fields a receiver needs to open this object, in the order its {@link ReferenceType} reads
     * them. An object that cannot be sent now (a shared object whose memory was released) throws a
     * {@code NotSendableException} that {@code out} places in the value being sent.
     */
    void writeReference(ReferenceOutput out) throws IOException;
}
