package org.jparallel.internal.manager;

import org.jparallel.internal.wire.TlsIdentity;
import org.jparallel.internal.wire.WireAddress;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * How this JVM reaches manager servers: on 127.0.0.1 when it runs on the manager's host (the kernel, a
 * worker on the kernel's machine), or, in a worker on another host ({@link #fromAnotherHost}), through TLS
 * with the pool's client certificate, to the address of the kernel's machine that the worker dialed its
 * kernel at (each host reaches the kernel's machine at an address of its own). Set once, when a worker
 * starts.
 */
public final class ManagerReach {

    /** A worker on another host: the kernel's address it dialed, and its credentials; null on the kernel's host. */
    private static volatile Remote remote;

    private record Remote(InetAddress kernel, TlsIdentity identity) {
    }

    private ManagerReach() {
    }

    /** This JVM is a worker on another host, which reached its kernel at {@code kernel} (through TLS). */
    public static void fromAnotherHost(WireAddress kernel) {
        if (kernel.tls() == null) {
            throw new IllegalArgumentException("a worker on another host reaches its kernel through TLS, not " + kernel);
        }
        remote = new Remote(kernel.address().getAddress(), kernel.tls());
    }

    /** Whether this JVM runs on another host than the managers it talks to. */
    static boolean onAnotherHost() {
        return remote != null;
    }

    /**
     * Where this JVM dials the server at {@code address}: its loopback port, or from another host the TLS
     * address on the kernel's address this worker dialed (or a wildcard one, at that address; else the first).
     *
     * @throws IOException if this JVM is on another host and the server listens on its own host's loopback only
     */
    static WireAddress of(ServerAddress address) throws IOException {
        Remote from = remote;
        if (from == null) {
            return WireAddress.loopback(address.port());
        }
        if (!address.servesOtherHosts()) {
            throw new IOException("the manager at " + address.describe() + " listens on its own host's loopback"
                    + " only (a manager of Manager.start()), and this worker runs on another host; use the pool's"
                    + " own manager, pool.manager(), which workers on every host reach");
        }
        InetSocketAddress chosen = address.tls().stream()
                .filter(a -> a.getAddress().equals(from.kernel()) || a.getAddress().isAnyLocalAddress())
                .findFirst().orElse(address.tls().get(0));
        // a wildcard listener (the pool's listen("0.0.0.0")) is reached where this worker reached its kernel
        return WireAddress.tls(chosen.getAddress().isAnyLocalAddress()
                ? new InetSocketAddress(from.kernel(), chosen.getPort()) : chosen, from.identity());
    }
}
