package org.jparallel.internal.manager;

import org.jparallel.api.ManagedList;
import org.jparallel.api.ManagedMap;
import org.jparallel.api.ManagedNamespace;
import org.jparallel.api.ManagerStoppedException;
import org.jparallel.internal.codec.ValueCodec;
import org.jparallel.internal.wire.WireServer;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The machinery behind {@code Manager}: a {@link ManagerServer} in this JVM and the proxies of its objects.
 * Initial contents are copied through the value codec, as every value a proxy stores is. Thread-safe.
 */
public final class RealManager implements AutoCloseable {

    private final ManagerServer server;
    private final ValueCodec codec;
    private volatile boolean closed;

    private RealManager(ClassLoader loader, List<WireServer.TlsListener> remotes) {
        this.server = new ManagerServer(loader, remotes);
        this.codec = RemoteObject.crossing(server.address(), new ValueCodec(loader));
    }

    /**
     * Starts a server, for this host's processes alone, whose values are decoded in {@code loader} (in a
     * notebook, the notebook's).
     */
    public static RealManager start(ClassLoader loader) {
        return new RealManager(loader, List.of());
    }

    /**
     * Starts a server that workers on other hosts also reach, through TLS at each of {@code remotes} (a pool's
     * own manager, when the pool has such workers); values stored in it then refuse this host's shared memory.
     */
    public static RealManager start(ClassLoader loader, List<WireServer.TlsListener> remotes) {
        return new RealManager(loader, remotes);
    }

    /** A new managed map holding a copy of {@code initial} (null for none). */
    @SuppressWarnings("unchecked")
    public <K, V> ManagedMap<K, V> map(Map<? extends K, ? extends V> initial) {
        return (ManagedMap<K, V>) create(ObjectKind.MAP, initial);
    }

    /** A new managed list holding a copy of {@code initial} (null for none). */
    @SuppressWarnings("unchecked")
    public <E> ManagedList<E> list(Collection<? extends E> initial) {
        return (ManagedList<E>) create(ObjectKind.LIST, initial);
    }

    /** A new, empty managed namespace. */
    public ManagedNamespace namespace() {
        return (ManagedNamespace) create(ObjectKind.NAMESPACE, null);
    }

    private ManagedProxy create(ObjectKind kind, Object initial) {
        Object copy = initial == null ? null : codec.decode(codec.encode(initial, "initial"));
        if (closed) {
            throw new ManagerStoppedException("this manager (" + server.address().describe()
                    + ") is stopped: it was closed. Start a new Manager.");
        }
        return new RemoteObject(server.address(), server.create(kind, copy), kind, codec).proxy();
    }

    public int port() {
        return server.address().port();
    }

    public long pid() {
        return server.address().pid();
    }

    public boolean isClosed() {
        return closed;
    }

    /** How many connections the server refused: not ZMTP, no proof of the secret (a wrong one, a replay), a frame too large before authenticating. */
    public long refusedCount() {
        return server.refusedCount();
    }

    /** Stops the server; proxies in this JVM fail at once from now on, those elsewhere at their next call. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            server.close();
            ManagerClient.serverClosed(server.address());
        }
    }
}
