package org.jparallel.internal.wire;

import org.jparallel.internal.codec.CodecException;
import org.jparallel.internal.codec.MessageCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The receiving side of a process: a PULL socket bound to a random port on 127.0.0.1, read by one
 * thread that is never interrupted. The socket lives in a ZeroMQ context of its own, which that
 * thread closes when it is done, so no other thread ever touches either.
 *
 * <p>Every frame must carry the pool's signature and a sequence number newer than the last one from
 * the same peer; anything else is dropped and logged, so a process on this machine that does not know
 * the secret can neither inject nor replay a message. Accepted messages are handed to the
 * {@link Listener} on the inbox thread, in arrival order.
 */
public final class Inbox implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Inbox.class);
    private static final int POLL_MS = 200;

    /** Receives accepted messages, on the inbox thread; must not block. */
    public interface Listener {
        void onMessage(int peer, Message message);
    }

    private final ZContext context = ServiceThreads.newContext();
    private final ZMQ.Socket socket;
    private final int port;
    private final Signer signer;
    private final MessageCodec codec;
    private final Listener listener;
    private final Map<Integer, Signer.Checker> checkers = new HashMap<>();
    private final Thread thread;
    private volatile boolean closed;
    private long refused;

    /** Binds the inbox and starts its thread. */
    public Inbox(byte[] secret, MessageCodec codec, Listener listener, String threadName) {
        this.socket = context.createSocket(SocketType.PULL);
        this.socket.setLinger(0);
        this.socket.setReceiveTimeOut(POLL_MS);
        this.port = socket.bindToRandomPort("tcp://127.0.0.1");
        this.signer = new Signer(secret);
        this.codec = codec;
        this.listener = listener;
        this.thread = ServiceThreads.daemon(this::receive, threadName);
        this.thread.start();
    }

    /** The loopback port peers connect to. */
    public int port() {
        return port;
    }

    private void receive() {
        try {
            while (!closed) {
                byte[] frame = socket.recv();
                if (frame != null) {
                    accept(frame);
                }
            }
        } catch (ZMQException e) {
            if (!closed) {
                LOG.error("inbox on port {} failed", port, e);
            }
        } finally {
            socket.close();
            context.close();
        }
    }

    private void accept(byte[] frame) {
        int peer = frame.length >= Signer.HEADER_BYTES + Integer.BYTES
                ? ByteBuffer.wrap(frame, Signer.HEADER_BYTES, Integer.BYTES).getInt() : Integer.MIN_VALUE;
        Signer.Checker checker = checkers.get(peer);
        boolean newPeer = checker == null;
        if (newPeer) {
            checker = signer.checker();
        }
        Optional<byte[]> body = checker.open(frame);
        if (body.isEmpty()) {
            refuse("a frame that is not signed with this pool's secret, or a replayed one", peer);
            return;
        }
        if (newPeer) {
            checkers.put(peer, checker);
        }
        Message message;
        try {
            message = codec.decode(Frames.message(body.get()));
        } catch (CodecException e) {
            refuse("a signed frame that is not a message (" + e.getMessage() + ")", peer);
            return;
        }
        try {
            listener.onMessage(peer, message);
        } catch (RuntimeException e) {
            LOG.error("handling {} from peer {} failed", message.getClass().getSimpleName(), peer, e);
        }
    }

    private void refuse(String what, int peer) {
        refused++;
        if (refused <= 10 || Long.bitCount(refused) == 1) {
            LOG.warn("inbox on 127.0.0.1:{} refused {} (claimed peer {}; {} refused so far)", port, what, peer, refused);
        }
    }

    /** How many frames were refused so far. */
    public long refusedCount() {
        return refused;
    }

    /** Stops the thread, which closes the socket and the context; waits at most for two poll intervals. */
    @Override
    public void close() {
        closed = true;
        if (Thread.currentThread() != thread) {
            try {
                thread.join(2L * POLL_MS + 100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
