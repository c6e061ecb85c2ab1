package org.jparallel.internal.manager;

import org.jparallel.api.ManagerException;
import org.jparallel.api.NotSendableException;
import org.jparallel.internal.codec.CodecException;
import org.jparallel.internal.codec.ValueCodec;
import org.jparallel.internal.wire.PeerAuthentication;
import org.jparallel.internal.wire.WireServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A manager's server: the objects it manages, served on the wire of pools ({@link WireServer#forClients}: a
 * server socket on a random port of 127.0.0.1 speaking ZMTP, one selector thread), which carries out each
 * request itself, one at a time, so every request is atomic.
 *
 * <p>A connection carries requests only after its peer proved it holds the manager's secret
 * ({@link PeerAuthentication}); until then the wire takes frames of at most 1 KiB and gives a peer 5 s, so a
 * process on this machine that does not know the secret can neither read nor change an object, nor make the
 * server allocate or keep a thread for it. Requests run on the selector thread: handing each to a thread of
 * its own woke one more thread per round trip (see {@link #received}). While a long function runs, other
 * requests wait, as they would behind it anyway, and peers that connect meanwhile are authenticated (or
 * dropped) once it returns; they hold nothing but a socket. Values are decoded with the loader the manager
 * was started with (in a notebook, the notebook's), so they may be instances of notebook classes.
 * Thread-safe.
 */
final class ManagerServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ManagerServer.class);
    private static final ThreadLocal<Boolean> SERVING = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private final WireServer wire;
    private final ServerAddress address;
    private final ValueCodec codec;
    private final Map<Integer, Object> objects = new ConcurrentHashMap<>();
    private final AtomicInteger objectIds = new AtomicInteger();
    /** The thread carrying out a request now (the selector thread), or null: what close() interrupts. */
    private Thread serving;

    /**
     * Binds the wire on 127.0.0.1 and on each of {@code remotes} (TLS, for workers on other hosts; none for a
     * manager of this host alone) and starts serving; values are decoded in {@code loader}.
     */
    ManagerServer(ClassLoader loader, List<WireServer.TlsListener> remotes) {
        byte[] secret = PeerAuthentication.newSecret();
        this.codec = new ValueCodec(loader);
        try {
            // no frame can come before the constructor returns: none without the secret, which the address carries
            this.wire = WireServer.forClients(secret, this::received, "jparallel-manager", remotes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a manager: no port on 127.0.0.1"
                    + remotes.stream().map(l -> " and " + l.address().getAddress().getHostAddress())
                    .reduce("", String::concat) + " (" + e.getMessage() + ")", e);
        }
        this.address = new ServerAddress(wire.port(), ProcessHandle.current().pid(), secret, wire.remoteAddresses());
    }

    ServerAddress address() {
        return address;
    }

    /** Whether the calling thread is a manager server's, which must not wait for a manager. */
    static boolean isServerThread() {
        return SERVING.get();
    }

    /** Adds an object that starts with {@code contents} (a decoded copy, or null), and returns its id. */
    int create(ObjectKind kind, Object contents) {
        int id = objectIds.incrementAndGet();
        objects.put(id, kind.newStore(contents));
        return id;
    }

    /** How many connections were refused so far: not ZMTP, no proof of the secret, a frame too large before it. */
    long refusedCount() {
        return wire.refusedCount();
    }

    /**
     * On the wire's selector thread: carries out one request from an authenticated client and sends its reply.
     * Handing requests to a thread of their own woke one more thread per round trip: in bench/manager_bench.py
     * (2 CPUs, load 15 to 20) the median round trip was 29 to 36 us that way against 21 to 23 us run here.
     */
    private void received(int client, byte[] frame) {
        SERVING.set(Boolean.TRUE);
        Requests.Request request;
        try {
            request = Requests.readRequest(frame);
        } catch (IllegalArgumentException e) {
            LOG.error("manager on {} got a malformed request from client {} ({}); its connection is closed",
                    address.describe(), client, e.getMessage());
            wire.disconnect(client);
            return;
        }
        byte[] value;
        boolean failed = false;
        try {
            value = codec.encode(performInterruptibly(request), "result");
        } catch (Throwable t) { // whatever the operation threw goes back to the caller
            failed = true;
            value = encodeFailure(t);
        }
        wire.sendFrame(client, Requests.reply(request.id(), failed, value));
    }

    /** Performs the request, open to {@link #close()}'s interrupt while it runs and only then. */
    private Object performInterruptibly(Requests.Request request) throws Exception {
        synchronized (this) {
            serving = Thread.currentThread();
        }
        try {
            return perform(request);
        } finally {
            synchronized (this) {
                serving = null;
                Thread.interrupted(); // an interrupt meant for the request must not reach the wire's channels
            }
        }
    }

    private Object perform(Requests.Request request) throws Exception {
        Op op = Op.ofCode(request.op());
        if (op == null) {
            throw new ManagerException("this manager does not know operation " + request.op());
        }
        Object target = objects.get(request.object());
        if (target == null) {
            throw new ManagerException("this manager has no object " + request.object());
        }
        if (op.onList() != target instanceof List || request.arguments().length != op.argumentCount()) {
            throw new ManagerException("operation " + op + " with " + request.arguments().length
                    + " arguments does not apply to object " + request.object());
        }
        Object[] arguments = new Object[op.argumentCount()];
        for (int i = 0; i < arguments.length; i++) {
            try {
                arguments[i] = codec.decode(request.arguments()[i]);
            } catch (CodecException e) {
                throw new ManagerException("the manager cannot decode the " + op.argumentName(i) + ": " + e.getMessage(), e);
            }
        }
        return op.apply(target, arguments, this::sendable);
    }

    /** {@code value}, once it is known to be sendable: what a function stores must be readable by every client. */
    private Object sendable(Object value) {
        codec.encode(value, "function result");
        return value;
    }

    /** The exception as bytes; one that cannot be sent is described by a {@link ManagerException} instead. */
    private byte[] encodeFailure(Throwable t) {
        try {
            return codec.encode(t, "exception");
        } catch (NotSendableException e) {
            return codec.encode(new ManagerException("the manager's operation failed with " + t
                    + " (which cannot be sent back: " + e.getMessage() + ")"), "exception");
        }
    }

    /**
     * Stops serving: interrupts a request that runs, closes the wire and its connections (waiting at most about
     * two seconds for the request to return); the objects are dropped. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (serving != null) {
                serving.interrupt();
            }
        }
        wire.close();
        objects.clear();
    }
}
