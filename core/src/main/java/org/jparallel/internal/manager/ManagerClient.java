package org.jparallel.internal.manager;

import org.jparallel.api.ManagerStoppedException;
import org.jparallel.internal.wire.WireClient;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * This JVM's connections to one manager server, shared by every proxy of that server here. A call takes an
 * idle connection (or opens one), sends a request and waits on the calling thread for the reply, then gives
 * the connection back; so calls from several threads run side by side, each on its own connection, with no
 * thread of ours in between.
 *
 * <p>Each connection is a {@link WireClient} that proved it holds the manager's secret, and that the server
 * proved it too, before its first request; so a proxy whose manager is gone never talks to another server that
 * took its port. When the server stops, its connections end: the call that notices fails with
 * {@link ManagerStoppedException}, and so does every later call, at once. Thread-safe.
 */
final class ManagerClient {

    private static final Map<ServerAddress, ManagerClient> CLIENTS = new ConcurrentHashMap<>();

    /** An authenticated connection and the id of its last request; used by one thread at a time. */
    private final class Connection {
        final WireClient wire;
        long lastRequest;

        Connection() throws IOException {
            wire = WireClient.connectForFrames(ManagerReach.of(address), address.secret());
        }
    }

    private final ServerAddress address;
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
    private volatile String stopped;

    private ManagerClient(ServerAddress address) {
        this.address = address;
    }

    /** This JVM's client of the server at {@code address}. */
    static ManagerClient of(ServerAddress address) {
        return CLIENTS.computeIfAbsent(address, ManagerClient::new);
    }

    /** Marks a server that was closed in this JVM as stopped here, and closes the connections to it. */
    static void serverClosed(ServerAddress address) {
        of(address).stop("it was closed");
    }

    /**
     * Sends a request and waits for its reply.
     *
     * @throws ManagerStoppedException if the server is stopped, or stops before it replies
     * @throws CancellationException   if the calling thread is interrupted while it waits (the request may
     *                                 still be carried out)
     */
    Requests.Reply call(int object, Op op, byte[][] arguments) {
        if (ManagerServer.isServerThread()) {
            throw new IllegalStateException("a function that a manager runs cannot call a manager proxy: "
                    + "the manager would wait for itself");
        }
        checkRunning();
        Connection connection = idle.pollFirst();
        try {
            if (connection == null) {
                connection = new Connection();
            }
            Requests.Reply reply = exchange(connection, object, op, arguments);
            idle.addFirst(connection);
            if (stopped != null) { // closed meanwhile: close what stop() may have missed
                closeIdle();
            }
            return reply;
        } catch (IOException e) {
            if (connection != null) {
                connection.wire.close();
            }
            if (e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException)) {
                throw new CancellationException("interrupted while waiting for the manager at " + address.describe());
            }
            stop("it is no longer running (" + e.getMessage() + ")");
            throw stoppedException();
        }
    }

    private static Requests.Reply exchange(Connection connection, int object, Op op, byte[][] arguments)
            throws IOException {
        long requestId = ++connection.lastRequest;
        connection.wire.sendFrame(Requests.request(requestId, object, op, arguments));
        Requests.Reply reply;
        try {
            reply = Requests.readReply(connection.wire.receiveFrame());
        } catch (IllegalArgumentException e) {
            throw new IOException("a reply is malformed: " + e.getMessage(), e);
        }
        if (reply.id() != requestId) {
            throw new IOException("a reply to request " + reply.id() + " came for request " + requestId);
        }
        return reply;
    }

    private void checkRunning() {
        if (stopped != null) {
            throw stoppedException();
        }
    }

    private void stop(String why) {
        if (stopped == null) {
            stopped = why;
        }
        closeIdle();
    }

    private void closeIdle() {
        for (Connection c = idle.pollFirst(); c != null; c = idle.pollFirst()) {
            c.wire.close();
        }
    }

    private ManagerStoppedException stoppedException() {
        return new ManagerStoppedException("the manager at " + address.describe() + " is stopped: " + stopped
                + ". Its objects are gone; start a new Manager.");
    }
}
