package org.jparallel.internal.wire;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Where a client dials its {@link WireServer} and over which transport, as the launcher chose for each
 * worker: plain TCP to the loopback listener (a worker on the kernel's machine, where only processes of
 * this machine can reach the socket and the pool's secret authenticates the peer), or TLS 1.3 with this
 * pool's client certificate to the listener on the address the user chose (a worker on another host).
 *
 * @param address where the server listens
 * @param tls     the client's credentials, or null for plain TCP (loopback only)
 */
public record WireAddress(InetSocketAddress address, TlsIdentity tls) {

    public WireAddress {
        if (tls == null && !address.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("plain TCP is for loopback peers only, not " + address
                    + ": a peer on another host dials through TLS");
        }
    }

    /** Plain TCP to the loopback listener on {@code port}. */
    public static WireAddress loopback(int port) {
        return new WireAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), null);
    }

    /** TLS to the listener at {@code address}, with the pool's client credentials. */
    public static WireAddress tls(InetSocketAddress address, TlsIdentity client) {
        return new WireAddress(address, client);
    }

    @Override
    public String toString() {
        return address.getAddress().getHostAddress() + ":" + address.getPort() + (tls == null ? "" : " (TLS)");
    }
}
