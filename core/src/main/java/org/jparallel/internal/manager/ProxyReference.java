package org.jparallel.internal.manager;

import org.jparallel.internal.codec.ReferenceInput;
import org.jparallel.internal.codec.ReferenceOutput;
import org.jparallel.internal.codec.ValueCodec;

import java.io.IOException;

/**
 * A managed object as it travels between processes: what it is, where its server listens, which object of
 * that server, and the server's secret, so the receiver can authenticate to it.
 *
 * @param kind   the object's kind code (1 map, 2 list, 3 namespace)
 * @param port   the server's port on 127.0.0.1
 * @param pid    the server's process
 * @param object the object's id on its server
 * @param secret the server's secret
 */
public record ProxyReference(int kind, int port, long pid, int object, byte[] secret) {

    /** Writes this reference as the fields of a value's reference (after tag 24): kind, port, pid, object, secret. */
    void writeTo(ReferenceOutput out) throws IOException {
        out.writeInt(kind);
        out.writeInt(port);
        out.writeLong(pid);
        out.writeInt(object);
        out.writeBytes(secret);
    }

    /** The reference {@link #writeTo} wrote. */
    static ProxyReference readFrom(ReferenceInput in) throws IOException {
        return new ProxyReference(in.readInt(), in.readInt(), in.readLong(), in.readInt(), in.readBytes());
    }

    /**
     * A proxy of the referenced object for this process, decoding values in {@code loader}.
     *
     * @throws IllegalArgumentException if the kind code is unknown
     */
    public ManagedProxy open(ClassLoader loader) {
        RemoteObject remote = new RemoteObject(new ServerAddress(port, pid, secret), object, ObjectKind.ofCode(kind),
                new ValueCodec(loader));
        return remote.proxy();
    }
}
