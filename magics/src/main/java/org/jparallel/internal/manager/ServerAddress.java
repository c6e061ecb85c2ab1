package org.jparallel.internal.manager;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;

/**
 * Where a manager server listens and how to talk to it: its port on 127.0.0.1, the pid of its process and
 * its secret. Two addresses are equal when all three are, so a later manager that happens to get the same
 * port is a different server.
 */
record ServerAddress(int port, long pid, byte[] secret) {

    private static final int PROBE_TIMEOUT_MS = 1000;
    private static final long OWN_PID = ProcessHandle.current().pid();

    /**
     * Whether the server is still there: in this JVM, whether it runs; elsewhere, whether its process is
     * alive and something accepts connections on its port.
     */
    boolean isUp() {
        if (isLocal()) {
            return ManagerServer.isRunning(this);
        }
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), PROBE_TIMEOUT_MS);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether the server runs in this JVM (or ran: then it is closed). */
    boolean isLocal() {
        return pid == OWN_PID;
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
