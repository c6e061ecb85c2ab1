package org.jparallel.internal.manager;

import org.jparallel.internal.codec.ReferenceInput;
import org.jparallel.internal.codec.ReferenceOutput;
import org.jparallel.internal.codec.ValueCodec;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A managed object as it travels between processes: what it is, where its server listens, which object of
 * that server, and the server's secret, so the receiver can authenticate to it.
 *
 * @param kind   the object's kind code (1 map, 2 list, 3 namespace)
 * @param port   the server's port on 127.0.0.1
 * @param pid    the server's process
 * @param object the object's id on its server
 * @param secret the server's secret
 * @param tls    where processes on other hosts reach the server through TLS; empty if they cannot
 */
public record ProxyReference(int kind, int port, long pid, int object, byte[] secret, List<InetSocketAddress> tls) {

    public ProxyReference {
        tls = List.copyOf(tls);
    }

    /**
     * Writes this reference as the fields of a value's reference (after tag 24): kind, port, pid, object, secret,
     * then the number of TLS addresses and each one's IP address (4 or 16 raw bytes) and port.
     */
    void writeTo(ReferenceOutput out) throws IOException {
        out.writeInt(kind);
        out.writeInt(port);
        out.writeLong(pid);
        out.writeInt(object);
        out.writeBytes(secret);
        out.writeInt(tls.size());
        for (InetSocketAddress address : tls) {
            out.writeBytes(address.getAddress().getAddress());
            out.writeInt(address.getPort());
        }
    }

    /** The reference {@link #writeTo} wrote. */
    static ProxyReference readFrom(ReferenceInput in) throws IOException {
        int kind = in.readInt();
        int port = in.readInt();
        long pid = in.readLong();
        int object = in.readInt();
        byte[] secret = in.readBytes();
        int count = in.readInt();
        if (count < 0 || count > 64) {
            throw new IllegalArgumentException("a manager proxy names " + count + " TLS addresses");
        }
        List<InetSocketAddress> tls = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] ip = in.readBytes();
            if (ip.length != 4 && ip.length != 16) {
                throw new IllegalArgumentException("a manager proxy's TLS address has " + ip.length + " bytes");
            }
            tls.add(new InetSocketAddress(InetAddress.getByAddress(ip), in.readInt()));
        }
        return new ProxyReference(kind, port, pid, object, secret, tls);
    }

    /**
     * A proxy of the referenced object for this process, decoding values in {@code loader}.
     *
     * @throws IllegalArgumentException if the kind code is unknown
     */
    public ManagedProxy open(ClassLoader loader) {
        RemoteObject remote = new RemoteObject(new ServerAddress(port, pid, secret, tls), object,
                ObjectKind.ofCode(kind), new ValueCodec(loader));
        return remote.proxy();
    }
}
