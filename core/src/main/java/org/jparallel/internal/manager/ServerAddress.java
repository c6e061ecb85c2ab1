package org.jparallel.internal.manager;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;

/**
 * Where a manager server listens and how to talk to it: its port on 127.0.0.1, the pid of its process, its
 * secret, and the addresses where processes on other hosts reach it through TLS (a pool's own manager, when
 * the pool has workers on other hosts; none otherwise). Two addresses are equal when port, pid and secret
 * are, so a later manager that happens to get the same port is a different server.
 */
record ServerAddress(int port, long pid, byte[] secret, List<InetSocketAddress> tls) {

    ServerAddress {
        tls = List.copyOf(tls);
    }

    /** {@code 127.0.0.1:40123 (pid 4242)}. */
    String describe() {
        return "127.0.0.1:" + port + " (pid " + pid + ")";
    }

    /** Whether processes on other hosts can reach it (through TLS). */
    boolean servesOtherHosts() {
        return !tls.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ServerAddress a && a.port == port && a.pid == pid && Arrays.equals(a.secret, secret);
    }

    @Override
    public int hashCode() {
        return 31 * Integer.hashCode(port) + Arrays.hashCode(secret);
    }

    @Override
    public String toString() {
        return describe(); // never the secret
    }
}
