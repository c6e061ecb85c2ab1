package org.jparallel.internal.manager;

import org.jparallel.api.ManagerException;
import org.jparallel.api.ManagerStoppedException;
import org.jparallel.api.NotSendableException;
import org.jparallel.internal.codec.CodecException;
import org.jparallel.internal.codec.ValueCodec;

import java.util.Locale;
import java.util.function.Supplier;

/**
 * One managed object as its proxies see it: its server, its id there and the codec its values cross with.
 * {@link #call} is one request: the arguments are encoded here (so what cannot be sent fails at the call,
 * naming the argument), and the server's exception comes back as itself.
 */
final class RemoteObject {

    private final ServerAddress address;
    private final int id;
    private final ObjectKind kind;
    private final ValueCodec codec;

    /**
     * An object of the server at {@code address}, its values crossing with {@code codec}: refusing this host's
     * shared memory when the server or this JVM serves other hosts ({@link #crossing}).
     */
    RemoteObject(ServerAddress address, int id, ObjectKind kind, ValueCodec codec) {
        this.address = address;
        this.id = id;
        this.kind = kind;
        this.codec = crossing(address, codec);
    }

    /**
     * The codec for values stored on the server at {@code address}: one that refuses this host's shared memory
     * when another host may read them — the server is on another host than this JVM, or serves workers on
     * other hosts (a pool's manager when the pool has some) — since a process there could not map it.
     */
    static ValueCodec crossing(ServerAddress address, ValueCodec codec) {
        if (ManagerReach.onAnotherHost()) {
            return codec.reaching("the manager at " + address.describe() + " on the kernel's host");
        }
        return address.servesOtherHosts()
                ? codec.reaching("the manager at " + address.describe() + ", which workers on other hosts read")
                : codec;
    }

    /** A new proxy of this object, of the type its kind calls for. */
    ManagedProxy proxy() {
        return switch (kind) {
            case MAP -> new MapProxy<>(this);
            case LIST -> new ListProxy<>(this);
            case NAMESPACE -> new NamespaceProxy(this);
        };
    }

    ProxyReference reference() {
        return new ProxyReference(kind.code(), address.port(), address.pid(), id, address.secret(), address.tls());
    }

    /**
     * Carries out {@code op} on the server and returns its result.
     *
     * @throws NotSendableException if an argument cannot be sent
     * @throws ManagerStoppedException if the manager is stopped
     */
    @SuppressWarnings("unchecked")
    <T> T call(Op op, Object... arguments) {
        byte[][] encoded = new byte[arguments.length][];
        for (int i = 0; i < arguments.length; i++) {
            encoded[i] = codec.encode(arguments[i], op.argumentName(i));
        }
        Requests.Reply reply = ManagerClient.of(address).call(id, op, encoded);
        Object value;
        try {
            value = codec.decode(reply.value());
        } catch (CodecException e) {
            throw new ManagerException("cannot decode what the manager at " + address.describe() + " answered to "
                    + describe(op) + ": " + e.getMessage(), e);
        }
        if (!reply.failed()) {
            return (T) value;
        }
        Throwable failure = (Throwable) value;
        failure.addSuppressed(new ManagerException("raised by the manager at " + address.describe() + " in "
                + describe(op) + "; the caller's stack follows"));
        if (failure instanceof RuntimeException e) {
            throw e;
        } else if (failure instanceof Error e) {
            throw e;
        }
        throw new ManagerException(describe(op) + " failed on the manager at " + address.describe(), failure);
    }

    private String describe(Op op) {
        return kind.name().toLowerCase(Locale.ROOT) + " " + id + " " + op;
    }

    /**
     * A proxy's text: {@code contents}, or once the manager is stopped
     * {@code <managed map 3 on 127.0.0.1:40123 (pid 4242), stopped>} — a stopped proxy may still be displayed.
     */
    String text(Supplier<String> contents) {
        try {
            return contents.get();
        } catch (ManagerStoppedException e) {
            return "<managed " + kind.name().toLowerCase(Locale.ROOT) + " " + id + " on " + address.describe() + ", stopped>";
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RemoteObject r && r.id == id && r.address.equals(address);
    }

    @Override
    public int hashCode() {
        return 31 * address.hashCode() + id;
    }
}
