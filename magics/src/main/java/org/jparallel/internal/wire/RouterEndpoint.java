package org.jparallel.internal.wire;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * The serving side of a request-reply wire: a ROUTER socket bound to a random port on 127.0.0.1, in a
 * ZeroMQ context of its own, owned by one service thread that takes requests one at a time, hands each
 * to a {@link Handler} and sends back its reply. Clients connect with a {@link ZmtpConnection}. The
 * thread waits in {@code recv}, waking every {@value #POLL_MS} ms to see whether the endpoint was closed.
 *
 * <p>Only single-frame requests are handled; a longer message is dropped and reported to the handler,
 * which decides what to log. Replies are sent without waiting: a client that stopped reading loses its
 * reply, never the endpoint's time.
 */
public final class RouterEndpoint implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RouterEndpoint.class);
    private static final int POLL_MS = 100;
    private static final long CLOSE_WAIT_MS = 2000;

    /** What the endpoint does with requests, on its thread. */
    public interface Handler {
        /** The reply to a request, or null to send none. */
        byte[] reply(byte[] request);

        /** A message of more than one frame arrived, and was dropped. */
        void dropped(String why);
    }

    private final ZContext context = ServiceThreads.newContext();
    private final ZMQ.Socket socket;
    private final int port;
    private final Handler handler;
    private final Thread thread;
    private volatile boolean closed;

    /**
     * Binds the socket and starts serving.
     *
     * @param identity what the endpoint announces in its handshake, so a client can tell it from another
     *                 endpoint that later binds the same port
     */
    public RouterEndpoint(byte[] identity, Handler handler, String threadName) {
        this.handler = handler;
        this.socket = context.createSocket(SocketType.ROUTER);
        socket.setLinger(0);
        socket.setSndHWM(0);
        socket.setRcvHWM(0);
        socket.setReceiveTimeOut(POLL_MS);
        socket.setIdentity(identity);
        this.port = socket.bindToRandomPort("tcp://127.0.0.1");
        this.thread = ServiceThreads.daemon(this::serve, threadName + "-" + port);
        thread.start();
    }

    /** The loopback port clients connect to. */
    public int port() {
        return port;
    }

    private void serve() {
        try {
            while (!closed) {
                byte[] client = socket.recv(0);
                if (client != null) {
                    receive(client);
                }
            }
        } catch (ZMQException e) {
            if (!closed) {
                LOG.error("the endpoint on 127.0.0.1:{} failed", port, e);
            }
        } finally {
            socket.close();
            context.close();
        }
    }

    /** Reads the rest of a message from the connection {@code client} and replies to it. */
    private void receive(byte[] client) {
        byte[] frame = socket.hasReceiveMore() ? socket.recv(0) : null;
        boolean extra = false;
        while (socket.hasReceiveMore()) {
            socket.recv(0);
            extra = true;
        }
        if (extra) {
            handler.dropped("a message of more than one frame");
            return;
        }
        byte[] reply = handler.reply(frame);
        if (reply != null) {
            socket.send(client, ZMQ.SNDMORE | ZMQ.DONTWAIT);
            socket.send(reply, ZMQ.DONTWAIT);
        }
    }

    /** Stops serving and releases the socket and thread, waiting for them. Idempotent. */
    @Override
    public void close() {
        closed = true;
        if (Thread.currentThread() != thread) {
            try {
                thread.join(CLOSE_WAIT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
