package org.jparallel.internal.wire;

import org.jparallel.internal.codec.MessageCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The sending side of a process: one PUSH socket per peer inbox, all owned by one thread and one
 * ZeroMQ context of their own.
 *
 * <p>Callers only put work on a queue, so any thread — including one that is about to be interrupted —
 * may send; the sockets are touched by the outbox thread alone, which is never interrupted. Messages
 * to one peer arrive in the order they were queued. Each message is signed on the way out, and handed
 * to ZeroMQ without ever blocking: while a peer is not reading, its frames wait here.
 *
 * <p><b>Connections that never start.</b> JeroMQ 0.6.0 can lose a fresh TCP connection: its I/O
 * thread's mailbox stays readable after a burst of commands, so when the connect completes it is often
 * seen in the same poller pass as the mailbox, and then the engine's channel is registered while the
 * connecter's cancelled key still holds it. That engine never hears from its selector and the ZMTP
 * handshake never ends (about one loopback connect in twenty). Every socket here therefore gives the
 * handshake {@value #HANDSHAKE_MS} ms; past that JeroMQ drops the connection and makes a new one. The
 * messages already sent wait in the socket's pipe meanwhile (JeroMQ attaches the pipe when it
 * connects, and an engine takes nothing from it before its handshake), so nothing is lost or sent
 * twice; a stuck connection costs about a tenth of a second.
 */
public final class Outbox implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    private static final long IDLE_MS = 50;
    /** How soon a peer that is not reading is offered its waiting frames again. */
    private static final long RETRY_MS = 1;
    /** How long a connection may take to finish its ZMTP handshake before it is made again. */
    static final int HANDSHAKE_MS = 100;
    private static final int RECONNECT_MS = 10;
    private static final int MAX_RECONNECT_MS = 1000;

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

    /** The connection to one peer and the signed frames ZeroMQ has not taken yet. */
    private final class Link {
        final int port;
        final ZMQ.Socket socket;
        final ArrayDeque<byte[]> waiting = new ArrayDeque<>();

        Link(int port) {
            this.port = port;
            socket = connectPush(context, port);
        }

        /** Hands over what ZeroMQ will take now; true if something is still waiting. */
        boolean flush() {
            while (!waiting.isEmpty() && socket.send(waiting.peekFirst(), ZMQ.DONTWAIT)) {
                waiting.removeFirst();
            }
            return !waiting.isEmpty();
        }

        void close() {
            socket.close();
        }
    }

    private final ZContext context = ServiceThreads.newContext();
    private final int self;
    private final Signer signer;
    private final MessageCodec codec;
    private final IdleHook idleHook;
    private final LinkedBlockingQueue<Item> queue = new LinkedBlockingQueue<>();
    /** Items taken from the queue, and messages from the idle hook, in order. */
    private final ArrayDeque<Item> held = new ArrayDeque<>();
    private final Map<Integer, Link> links = new HashMap<>();
    private final Thread thread;
    /** Whether some peer has frames waiting. */
    private boolean backlog;
    private boolean stopping;

    /**
     * Starts the outbox thread.
     *
     * @param self     this process's peer id, written into every frame
     * @param idleHook called on the outbox thread between messages and at least every 50 ms (may be null)
     */
    public Outbox(int self, byte[] secret, MessageCodec codec, IdleHook idleHook, String threadName) {
        this.self = self;
        this.signer = new Signer(secret);
        this.codec = codec;
        this.idleHook = idleHook;
        this.thread = ServiceThreads.daemon(this::run, threadName);
        this.thread.start();
    }

    /**
     * A PUSH socket (linger 0) connected to an inbox on 127.0.0.1 with the handshake deadline that
     * makes JeroMQ retry a connection that never started; every PUSH socket on this wire needs one.
     */
    public static ZMQ.Socket connectPush(ZContext context, int port) {
        ZMQ.Socket socket = context.createSocket(SocketType.PUSH);
        socket.setLinger(0);
        socket.setHandshakeIvl(HANDSHAKE_MS);
        socket.setReconnectIVL(RECONNECT_MS);
        socket.setReconnectIVLMax(MAX_RECONNECT_MS);
        socket.connect("tcp://127.0.0.1:" + port);
        return socket;
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

    /** Sends as soon as possible, after what is queued; only for the idle hook, on the outbox thread. */
    public void sendNow(int peer, Message message) {
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("sendNow is for the outbox thread");
        }
        held.addLast(new Send(peer, message));
    }

    private void run() {
        try {
            while (!stopping) {
                Item item = backlog ? queue.poll(RETRY_MS, TimeUnit.MILLISECONDS)
                        : idleHook != null ? queue.poll(IDLE_MS, TimeUnit.MILLISECONDS)
                        : queue.take();
                if (item != null) {
                    held.addLast(item);
                    queue.drainTo(held);
                }
                if (idleHook != null) {
                    idleHook.beforeSend(this);
                }
                progress();
            }
        } catch (InterruptedException e) {
            LOG.error("the outbox thread was interrupted; it must never be");
        } finally {
            links.values().forEach(Link::close);
            links.clear();
            context.close();
        }
    }

    private void progress() {
        while (!stopping && !held.isEmpty()) {
            try {
                apply(held.removeFirst());
            } catch (ZMQException e) {
                LOG.error("outbox could not send", e);
            }
        }
        flushAll();
    }

    private void apply(Item item) {
        if (item instanceof Connect c) {
            Link old = links.put(c.peer(), new Link(c.port()));
            if (old != null) {
                old.close();
            }
        } else if (item instanceof Disconnect d) {
            Link link = links.remove(d.peer());
            if (link != null) {
                link.close();
            }
        } else if (item instanceof Send s) {
            Link link = links.get(s.peer());
            if (link == null) {
                LOG.debug("dropped {} for peer {}, which is not connected", s.message().getClass().getSimpleName(), s.peer());
                return;
            }
            link.waiting.addLast(signer.sign(Frames.body(self, codec.encode(s.message()))));
        } else if (item instanceof Stop) {
            stopping = true;
        }
    }

    private void flushAll() {
        boolean left = false;
        for (Link link : links.values()) {
            try {
                left |= link.flush();
            } catch (ZMQException e) {
                LOG.error("outbox could not send to 127.0.0.1:{}", link.port, e);
            }
        }
        backlog = left;
    }

    /** Hands over what is queued and can be sent now, then closes every socket and the context. */
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
