package org.jparallel.internal.manager;

import java.util.Arrays;

/**
 * Where a manager server listens and how to talk to it: its port on 127.0.0.1, the pid of its process and
 * its secret. Two addresses are equal when all three are, so a later manager that happens to get the same
 * port is a different server.
 */
record ServerAddress(int port, long pid, byte[] secret) {

    /** {@code 127.0.0.1:40123 (pid 4242)}. */
    String describe() {
        return "127.0.0.1:" + port + " (pid " + pid + ")";
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
