package org.jparallel.internal.manager;

import org.jparallel.internal.codec.ReferenceOutput;
import org.jparallel.internal.codec.ReferenceType;
import org.jparallel.internal.codec.SentByReference;

import java.io.IOException;

/**
 * A proxy of a managed object: sent by reference ({@link ProxyReferenceType}, tag 24), so every process that
 * receives it talks to the same object on the same server.
 */
public interface ManagedProxy extends SentByReference {

    /** The reference that stands for this proxy's object in another process. */
    ProxyReference reference();

    @Override
    default ReferenceType referenceType() {
        return ProxyReferenceType.INSTANCE;
    }

    @Override
    default void writeReference(ReferenceOutput out) throws IOException {
        reference().writeTo(out);
    }
}
