package org.jparallel.internal.wire;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The serving side of a request-reply wire: a TCP server socket on a random port of 127.0.0.1 that
 * speaks ZMTP 3.0 as a ROUTER ({@link ZmtpConnection}), with one service thread accepting connections
 * and one per connection reading its requests. Requests are handed to the {@link Handler} one at a time,
 * whichever connection they come from, and each reply goes back on its request's connection.
 *
 * <p>A thread per connection, blocked in a plain socket read, answers a request with two thread
 * wake-ups (this thread's and the caller's), where a JeroMQ ROUTER adds its I/O thread's. Connections
 * come from the processes of one notebook, a few per process.
 */
public final class RequestServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RequestServer.class);
    private static final long CLOSE_WAIT_MS = 2000;

    /** What the server does with requests; called by one thread at a time. */
    public interface Handler {
        /** The reply to a request, or null to send none. */
        byte[] reply(byte[] request);

        /** A connection was dropped because it broke the protocol (a multi-part message, a bad handshake…). */
        void dropped(String why);
    }

    private final ServerSocket listener;
    private final byte[] identity;
    private final Handler handler;
    private final String threadName;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * Binds the server socket and starts accepting connections.
     *
     * @param identity what the server announces in each handshake, so a client can tell it from another
     *                 server that later binds the same port
     */
    public RequestServer(byte[] identity, Handler handler, String threadName) throws IOException {
        this.identity = identity.clone();
        this.handler = handler;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.threadName = threadName + "-" + listener.getLocalPort();
        start(this::accept, this.threadName);
    }

    /** The loopback port clients connect to. */
    public int port() {
        return listener.getLocalPort();
    }

    private void start(Runnable body, String name) {
        Thread thread = ServiceThreads.daemon(() -> {
            try {
                body.run();
            } finally {
                threads.remove(Thread.currentThread());
            }
        }, name);
        threads.add(thread);
        thread.start();
    }

    private void accept() {
        while (!closed) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.error("the server on 127.0.0.1:{} stopped accepting connections", port(), e);
                }
                return;
            }
            connections.add(socket);
            if (closed) {
                closeQuietly(socket);
                return;
            }
            start(() -> serve(socket), threadName + "-connection");
        }
    }

    private void serve(Socket socket) {
        try (ZmtpConnection connection = ZmtpConnection.accept(socket, identity)) {
            while (!closed) {
                byte[] request = connection.receive();
                byte[] reply;
                synchronized (handler) {
                    reply = handler.reply(request);
                }
                if (reply != null) {
                    connection.send(reply);
                }
            }
        } catch (ZmtpConnection.ProtocolException e) {
            if (!closed) {
                synchronized (handler) {
                    handler.dropped("a connection that broke the protocol (" + e.getMessage() + ")");
                }
            }
        } catch (IOException | ZmtpConnection.Interrupted e) {
            // the client went away (closed, reset), or this server is closing
            LOG.debug("a connection to 127.0.0.1:{} ended: {}", port(), e.toString());
        } finally {
            connections.remove(socket);
            closeQuietly(socket);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // a loopback socket that is already gone
        }
    }

    /** Stops accepting, closes every connection and waits for the threads. Idempotent. */
    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            LOG.debug("closing the server socket on port {}: {}", port(), e.toString());
        }
        connections.forEach(RequestServer::closeQuietly);
        long deadline = System.currentTimeMillis() + CLOSE_WAIT_MS;
        for (Thread thread : threads) {
            if (thread == Thread.currentThread()) {
                continue;
            }
            try {
                thread.join(Math.max(1, deadline - System.currentTimeMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
