package org.jparallel.internal.manager;

import org.jparallel.api.ManagerStoppedException;
import org.jparallel.internal.wire.Signer;
import org.jparallel.internal.wire.ZmtpConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * This JVM's connections to one manager server, shared by every proxy of that server here. A call takes an
 * idle connection (or opens one), sends a signed request and waits on the calling thread for the signed
 * reply, then gives the connection back; so calls from several threads run side by side, each on its own
 * connection, with no thread of ours in between.
 *
 * <p>Each connection is a client of its own to the server: a random id and a {@link Signer} whose sequence
 * numbers only that connection uses. When the server stops, its connections end: the call that notices
 * fails with {@link ManagerStoppedException}, and so does every later call, at once. Thread-safe.
 */
final class ManagerClient {

    private static final Logger LOG = LoggerFactory.getLogger(ManagerClient.class);
    private static final Map<ServerAddress, ManagerClient> CLIENTS = new ConcurrentHashMap<>();
    private static final SecureRandom IDS = new SecureRandom();

    /** A connection with its signing state; used by one thread at a time. */
    private final class Connection {
        final ZmtpConnection zmtp;
        final long id = IDS.nextLong();
        final Signer signer = new Signer(address.secret());
        final Signer.Checker replies = signer.checker();
        long lastRequest;

        Connection() throws IOException, ZmtpConnection.Interrupted {
            zmtp = ZmtpConnection.connect(address.port(), address.serverIdentity());
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
        } catch (ZmtpConnection.Interrupted e) {
            throw new CancellationException("interrupted while waiting for the manager at " + address.describe());
        } catch (IOException e) {
            if (connection != null) {
                connection.zmtp.close();
            }
            stop("it is no longer running (" + e.getMessage() + ")");
            throw stoppedException();
        }
    }

    private Requests.Reply exchange(Connection connection, int object, Op op, byte[][] arguments)
            throws IOException, ZmtpConnection.Interrupted {
        long requestId = ++connection.lastRequest;
        connection.zmtp.send(connection.signer.sign(Requests.request(connection.id, requestId, object, op, arguments)));
        while (true) {
            Optional<byte[]> body = connection.replies.open(connection.zmtp.receive());
            if (body.isEmpty()) {
                LOG.warn("a reply from the manager at {} is not signed with its secret, or is replayed; dropped", address);
                continue;
            }
            Requests.Reply reply;
            try {
                reply = Requests.readReply(body.get());
            } catch (IllegalArgumentException e) {
                throw new IOException("a signed reply is malformed: " + e.getMessage(), e);
            }
            if (reply.id() != requestId) {
                throw new IOException("a reply to request " + reply.id() + " came for request " + requestId);
            }
            return reply;
        }
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
            c.zmtp.close();
        }
    }

    private ManagerStoppedException stoppedException() {
        return new ManagerStoppedException("the manager at " + address.describe() + " is stopped: " + stopped
                + ". Its objects are gone; start a new Manager.");
    }
}
