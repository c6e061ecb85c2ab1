package org.jparallel.internal.manager;

import org.jparallel.api.ManagerStoppedException;
import org.jparallel.internal.wire.Signer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This JVM's connection to one manager server: a DEALER socket owned by a {@link SocketLoop}, shared by
 * every proxy of that server here. Callers wait for their reply on a future; the loop thread signs and
 * sends requests, checks the server's signature on replies and completes the futures.
 *
 * <p>While a caller waits, every {@value #CHECK_MS} ms without a reply it checks that the server is still
 * up ({@link ServerAddress#isUp()}); once it is not, every waiting call and every later one fails with
 * {@link ManagerStoppedException} and the connection is released. The stopped client stays registered, so
 * later calls fail at once. Thread-safe.
 */
final class ManagerClient {

    private static final Logger LOG = LoggerFactory.getLogger(ManagerClient.class);
    private static final long CHECK_MS = 200;
    private static final int HANDSHAKE_MS = 100;
    private static final int RECONNECT_MS = 10;
    private static final int MAX_RECONNECT_MS = 1000;
    private static final Map<ServerAddress, ManagerClient> CLIENTS = new ConcurrentHashMap<>();
    private static final SecureRandom IDS = new SecureRandom();

    private final ServerAddress address;
    private final long id = IDS.nextLong();
    private final AtomicLong requestIds = new AtomicLong();
    private final Map<Long, CompletableFuture<Requests.Reply>> waiting = new ConcurrentHashMap<>();
    /** Used on the loop thread only. */
    private final Signer signer;
    private final Signer.Checker serverChecker;
    private final SocketLoop loop;
    private volatile String stopped;

    private ManagerClient(ServerAddress address) {
        this.address = address;
        this.signer = new Signer(address.secret());
        this.serverChecker = signer.checker();
        this.loop = new SocketLoop(this::connect, this::receive, "jparallel-manager-client-" + address.port());
        loop.start();
    }

    /** This JVM's client of the server at {@code address}, connected on first use. */
    static ManagerClient of(ServerAddress address) {
        return CLIENTS.computeIfAbsent(address, ManagerClient::new);
    }

    /** Stops this JVM's client of a server that was closed here, if it has one. */
    static void serverClosed(ServerAddress address) {
        ManagerClient client = CLIENTS.get(address);
        if (client != null) {
            client.stop("it was closed");
        }
    }

    private ZMQ.Socket connect(ZContext context) {
        ZMQ.Socket socket = context.createSocket(SocketType.DEALER);
        socket.setSndHWM(0);
        socket.setRcvHWM(0);
        socket.setLinger(0);
        // the handshake deadline every connecting socket of this wire needs (see Outbox.connectPush)
        socket.setHandshakeIvl(HANDSHAKE_MS);
        socket.setReconnectIVL(RECONNECT_MS);
        socket.setReconnectIVLMax(MAX_RECONNECT_MS);
        socket.connect("tcp://127.0.0.1:" + address.port());
        return socket;
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
        if (address.isLocal() && !address.isUp()) {
            stop("it was closed"); // a proxy that reached this JVM after its server closed
        }
        long requestId = requestIds.incrementAndGet();
        CompletableFuture<Requests.Reply> reply = new CompletableFuture<>();
        waiting.put(requestId, reply);
        if (stopped != null) {
            waiting.remove(requestId);
            throw stoppedException();
        }
        byte[] body = Requests.request(id, requestId, object, op, arguments);
        loop.execute(socket -> socket.send(signer.sign(body), ZMQ.DONTWAIT));
        try {
            while (true) {
                try {
                    return reply.get(CHECK_MS, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    if (!address.isUp()) {
                        stop("it is no longer running");
                    }
                }
            }
        } catch (InterruptedException e) {
            waiting.remove(requestId);
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for the manager at " + address.describe());
        } catch (ExecutionException e) {
            throw stoppedException(); // the only way a reply fails
        }
    }

    private void receive(ZMQ.Socket socket) {
        byte[] frame = socket.recv(ZMQ.DONTWAIT);
        if (frame == null) {
            return;
        }
        Optional<byte[]> body = serverChecker.open(frame);
        if (body.isEmpty()) {
            LOG.warn("a reply from the manager at {} is not signed with its secret, or is replayed; dropped", address);
            return;
        }
        Requests.Reply reply;
        try {
            reply = Requests.readReply(body.get());
        } catch (IllegalArgumentException e) {
            LOG.warn("a signed reply from the manager at {} is malformed ({}); dropped", address, e.getMessage());
            return;
        }
        CompletableFuture<Requests.Reply> future = waiting.remove(reply.id());
        if (future != null) {
            future.complete(reply);
        }
    }

    /** Fails every waiting and later call, and releases the socket and its thread. Idempotent. */
    private synchronized void stop(String why) {
        if (stopped != null) {
            return;
        }
        stopped = why;
        for (Long requestId : waiting.keySet()) {
            CompletableFuture<Requests.Reply> future = waiting.remove(requestId);
            if (future != null) {
                future.completeExceptionally(stoppedException());
            }
        }
        loop.close();
    }

    private ManagerStoppedException stoppedException() {
        return new ManagerStoppedException("the manager at " + address.describe() + " is stopped: " + stopped
                + ". Its objects are gone; start a new Manager.");
    }
}
