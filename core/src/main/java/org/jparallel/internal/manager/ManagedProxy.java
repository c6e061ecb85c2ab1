package org.jparallel.internal.manager;

import org.jparallel.api.HostBoundException;
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

    /**
     * Writes {@link #reference()}.
     *
     * @throws HostBoundException if the value may reach another host and this proxy's manager listens on its
     *                            host's loopback alone ({@code Manager.start()})
     */
    @Override
    default void writeReference(ReferenceOutput out) throws IOException {
        ProxyReference reference = reference();
        String receiver = out.remoteReceiver();
        if (receiver != null && reference.tls().isEmpty()) {
            throw new HostBoundException(out.valueName(), out.valueType(), out.path(), ObjectKind.ofCode(reference.kind()).publicType().getName(),
                    receiver, "its manager (Manager.start()) listens on this host's loopback only, which " + receiver
                            + " cannot reach",
                    "Use the pool's own manager, pool.manager(), which workers on every host reach through TLS.");
        }
        reference.writeTo(out);
    }
}
