package org.jparallel.internal.manager;

import org.jparallel.api.ManagerException;
import org.jparallel.api.NotSendableException;
import org.jparallel.internal.codec.CodecException;
import org.jparallel.internal.codec.ValueCodec;
import org.jparallel.internal.wire.RequestServer;
import org.jparallel.internal.wire.Signer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A manager's server: the objects it manages, served by a {@link RequestServer} (a server socket on a
 * random port of 127.0.0.1 speaking ZMTP) that hands over requests one at a time, so every request is
 * atomic.
 *
 * <p>Every request must be signed with the manager's secret and carry a sequence number newer than the
 * last one from the same client; anything else is refused without a reply and logged, so a process on
 * this machine that does not know the secret can neither read nor change an object, nor replay a request.
 * Replies are signed too. Values are decoded with the loader the manager was started with (in a notebook,
 * the notebook's), so they may be instances of notebook classes. Thread-safe.
 */
final class ManagerServer implements AutoCloseable, RequestServer.Handler {

    private static final Logger LOG = LoggerFactory.getLogger(ManagerServer.class);
    private static final ThreadLocal<Boolean> SERVING = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private final RequestServer endpoint;
    /** Null only while the endpoint starts; a request that comes that early is refused. */
    private volatile ServerAddress address;
    private final ValueCodec codec;
    private final Map<Integer, Object> objects = new ConcurrentHashMap<>();
    private final AtomicInteger objectIds = new AtomicInteger();
    /** Used on the server thread only. */
    private final Signer signer;
    private final Map<Long, Signer.Checker> clients = new HashMap<>();
    private volatile long refused;

    /** Binds the endpoint and starts serving; values are decoded in {@code loader}. */
    ManagerServer(ClassLoader loader) {
        byte[] secret = Signer.newSecret();
        this.codec = new ValueCodec(loader);
        this.signer = new Signer(secret);
        try {
            this.endpoint = new RequestServer(ServerAddress.identityOf(secret), this, "jparallel-manager");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a manager: no port on 127.0.0.1 (" + e.getMessage() + ")", e);
        }
        this.address = new ServerAddress(endpoint.port(), ProcessHandle.current().pid(), secret);
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

    /** How many requests were refused so far. */
    long refusedCount() {
        return refused;
    }

    @Override
    public void dropped(String why) {
        refuse(why, null);
    }

    /** The signed reply to a request frame, or null if the frame is refused; one request at a time. */
    @Override
    public byte[] reply(byte[] frame) {
        SERVING.set(Boolean.TRUE);
        if (address == null) {
            refuse("a request before the manager had started", null);
            return null;
        }
        Long client = frame == null ? null : Requests.claimedClient(frame);
        if (client == null) {
            refuse("a frame too short to be a request", null);
            return null;
        }
        Signer.Checker checker = clients.get(client);
        boolean newClient = checker == null;
        if (newClient) {
            checker = signer.checker();
        }
        Optional<byte[]> body = checker.open(frame);
        if (body.isEmpty()) {
            refuse("a request that is not signed with this manager's secret, or a replayed one", client);
            return null;
        }
        if (newClient) {
            clients.put(client, checker);
        }
        Requests.Request request;
        try {
            request = Requests.readRequest(body.get());
        } catch (IllegalArgumentException e) {
            refuse("a signed request that is malformed (" + e.getMessage() + ")", client);
            return null;
        }
        byte[] value;
        boolean failed = false;
        try {
            value = codec.encode(perform(request), "result");
        } catch (Throwable t) { // whatever the operation threw goes back to the caller
            failed = true;
            value = encodeFailure(t);
        }
        return signer.sign(Requests.reply(request.id(), failed, value));
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

    private void refuse(String what, Long client) {
        long count = ++refused;
        if (count <= 10 || Long.bitCount(count) == 1) {
            LOG.warn("manager on {} refused {} (claimed client {}; {} refused so far)",
                    address == null ? "a port not yet known" : address.describe(), what,
                    client == null ? "unknown" : Long.toHexString(client), count);
        }
    }

    /** Stops serving and releases the socket and thread (waiting for them); the objects are dropped. Idempotent. */
    @Override
    public void close() {
        endpoint.close();
        objects.clear();
    }
}
