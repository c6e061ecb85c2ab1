package org.jparallel.internal.manager;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Where a manager server listens and how to talk to it: its port on 127.0.0.1, the pid of its process and
 * its secret. Two addresses are equal when all three are, so a later manager that happens to get the same
 * port is a different server.
 */
record ServerAddress(int port, long pid, byte[] secret) {

    /**
     * The identity the server's socket announces when a connection starts, derived from the secret (a hash,
     * so it reveals nothing): a client that meets another identity knows that its server is gone and another
     * one took the port.
     */
    byte[] serverIdentity() {
        return identityOf(secret);
    }

    /** The identity of the server with this secret ({@link #serverIdentity()}). */
    static byte[] identityOf(byte[] secret) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(secret);
            return ("jparallel-manager-" + HexFormat.of().formatHex(hash, 0, 8)).getBytes(StandardCharsets.US_ASCII);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

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
