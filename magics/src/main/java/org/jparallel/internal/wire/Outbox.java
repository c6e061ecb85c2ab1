package org.jparallel.internal.wire;

import org.jparallel.internal.codec.MessageCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The sending side of a process: one PUSH socket per peer inbox, all owned by one thread.
 *
 * <p>Callers only put work on a queue, so any thread — including one that is about to be interrupted —
 * may send; the sockets are touched by the outbox thread alone, which is never interrupted. Messages
 * to one peer arrive in the order they were queued. Each message is signed on the way out.
 */
public final class Outbox implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    private static final long IDLE_MS = 50;

    /** Runs on the outbox thread whenever it is idle for a moment, and before it sends; must not block. */
    public interface IdleHook {
        void beforeSend(Outbox outbox);
    }

    private sealed interface Item {
    }

    private record Connect(int peer, int port) implements Item {
    }

    private record Disconnect(int peer) implements Item {
    }

    private record Send(int peer, Message message) implements Item {
    }

    private record Stop() implements Item {
    }

    private final ZContext context;
    private final int self;
    private final Signer signer;
    private final MessageCodec codec;
    private final IdleHook idleHook;
    private final LinkedBlockingQueue<Item> queue = new LinkedBlockingQueue<>();
    private final Map<Integer, ZMQ.Socket> sockets = new HashMap<>();
    private final Thread thread;

    /**
     * Starts the outbox thread.
     *
     * @param self     this process's peer id, written into every frame
     * @param idleHook called on the outbox thread between messages and at least every 50 ms (may be null)
     */
    public Outbox(ZContext context, int self, byte[] secret, MessageCodec codec, IdleHook idleHook, String threadName) {
        this.context = context;
        this.self = self;
        this.signer = new Signer(secret);
        this.codec = codec;
        this.idleHook = idleHook;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Connects to a peer's inbox on 127.0.0.1. */
    public void connect(int peer, int port) {
        queue.add(new Connect(peer, port));
    }

    /** Closes the socket to a peer, dropping what it has not sent yet. */
    public void disconnect(int peer) {
        queue.add(new Disconnect(peer));
    }

    /** Queues a message for a peer; never blocks. */
    public void send(int peer, Message message) {
        queue.add(new Send(peer, message));
    }

    private void run() {
        try {
            while (true) {
                Item item = idleHook == null ? queue.take() : queue.poll(IDLE_MS, TimeUnit.MILLISECONDS);
                if (idleHook != null) {
                    idleHook.beforeSend(this);
                }
                if (item == null) {
                    continue;
                }
                if (item instanceof Stop) {
                    break;
                }
                handle(item);
            }
        } catch (InterruptedException e) {
            LOG.error("the outbox thread was interrupted; it must never be");
        } finally {
            sockets.values().forEach(ZMQ.Socket::close);
            sockets.clear();
        }
    }

    /** Sends at once; only for the idle hook, which runs on the outbox thread. */
    public void sendNow(int peer, Message message) {
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("sendNow is for the outbox thread");
        }
        handle(new Send(peer, message));
    }

    private void handle(Item item) {
        try {
            if (item instanceof Connect c) {
                ZMQ.Socket socket = context.createSocket(SocketType.PUSH);
                socket.setLinger(0);
                socket.setImmediate(false);
                socket.connect("tcp://127.0.0.1:" + c.port());
                ZMQ.Socket old = sockets.put(c.peer(), socket);
                if (old != null) {
                    old.close();
                }
            } else if (item instanceof Disconnect d) {
                ZMQ.Socket socket = sockets.remove(d.peer());
                if (socket != null) {
                    socket.close();
                }
            } else if (item instanceof Send s) {
                ZMQ.Socket socket = sockets.get(s.peer());
                if (socket == null) {
                    LOG.debug("dropped {} for peer {}, which is not connected", s.message().getClass().getSimpleName(), s.peer());
                    return;
                }
                socket.send(signer.sign(Frames.body(self, codec.encode(s.message()))), 0);
            }
        } catch (ZMQException | IllegalStateException e) {
            LOG.error("outbox could not handle {}", item, e);
        }
    }

    /** Sends what is queued, then closes every socket. */
    @Override
    public void close() {
        queue.add(new Stop());
        if (Thread.currentThread() != thread) {
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
