package org.jparallel.api;

import org.jparallel.internal.manager.RealManager;
import org.jparallel.internal.code.CodeSources;

import java.util.Collection;
import java.util.Map;

/**
 * A server of shared Java objects (Python's {@code multiprocessing.Manager()}): maps, lists and namespaces
 * that live in one place and are used from every process through proxies.
 *
 * <pre>{@code
 * try (var manager = Manager.start(); var pool = WorkerPool.start(2)) {
 *     var counts = manager.<String, Integer>dict();
 *     pool.map(word -> counts.merge(word, 1, Integer::sum), words);   // atomic, no update lost
 *     System.out.println(counts);
 * }
 * }</pre>
 *
 * <p><b>Where it runs.</b> The server runs in the JVM that starts the manager — the kernel, in a notebook —
 * on a service thread that owns a ZeroMQ socket bound to 127.0.0.1 (see {@link #port()} and {@link #pid()}).
 * It can therefore hold instances of notebook classes, and it can never outlive its notebook. Every
 * request is signed with the manager's secret; requests without it are refused and logged.
 *
 * <p><b>Proxies</b> ({@link ManagedMap}, {@link ManagedList}, {@link ManagedNamespace}) are sent to workers
 * by reference — as task arguments, captured variables, notebook variables of a {@code %%parallel} cell or
 * inside other values — and work in the kernel, in pool workers and in {@link WorkerProcess} targets alike.
 * Each call is one round trip to the server and is atomic.
 *
 * <p><b>Lifecycle.</b> {@link #close()} stops the server and drops its objects; proxies then fail with
 * {@link ManagerStoppedException}. A manager made by {@link WorkerPool#manager()} is closed with its pool.
 * The server also ends with its JVM, when the kernel shuts down. Thread-safe.
 */
public final class Manager implements AutoCloseable {

    private final RealManager real;

    /** The public face of a manager started inside the library (a pool's own). */
    Manager(RealManager real) {
        this.real = real;
    }

    /** Starts a manager whose server runs in this JVM; values may be instances of notebook classes. */
    public static Manager start() {
        return new Manager(RealManager.start(CodeSources.current().classLoader()));
    }

    /** A new, empty shared map (Python's {@code manager.dict()}). */
    public <K, V> ManagedMap<K, V> dict() {
        return real.map(null);
    }

    /** A new shared map holding a copy of {@code initial}. */
    public <K, V> ManagedMap<K, V> dict(Map<? extends K, ? extends V> initial) {
        return real.map(initial);
    }

    /** A new, empty shared list (Python's {@code manager.list()}). */
    public <E> ManagedList<E> list() {
        return real.list(null);
    }

    /** A new shared list holding a copy of {@code initial}. */
    public <E> ManagedList<E> list(Collection<? extends E> initial) {
        return real.list(initial);
    }

    /** A new, empty shared namespace (Python's {@code manager.Namespace()}). */
    public ManagedNamespace namespace() {
        return real.namespace();
    }

    /** The server's port on 127.0.0.1. */
    public int port() {
        return real.port();
    }

    /** The process the server runs in: this one. */
    public long pid() {
        return real.pid();
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return real.isClosed();
    }

    /** Stops the server and releases its socket and thread; its objects are dropped. Idempotent. */
    @Override
    public void close() {
        real.close();
    }

    /** Such as {@code Manager[127.0.0.1:40123, pid 4242, running]}. */
    @Override
    public String toString() {
        return "Manager[127.0.0.1:" + port() + ", pid " + pid() + (isClosed() ? ", stopped]" : ", running]");
    }
}
