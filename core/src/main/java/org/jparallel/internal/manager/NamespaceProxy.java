package org.jparallel.internal.manager;

import org.jparallel.api.ManagedNamespace;

import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

/** A proxy of a managed namespace: a map of names to values on the server, one request per method. */
final class NamespaceProxy implements ManagedNamespace, ManagedProxy {

    private final RemoteObject remote;

    NamespaceProxy(RemoteObject remote) {
        this.remote = remote;
    }

    @Override
    public ProxyReference reference() {
        return remote.reference();
    }

    @Override
    public <T> T get(String name) {
        return remote.call(Op.NAMESPACE_GET, checked(name));
    }

    @Override
    public <T> T getOrDefault(String name, T defaultValue) {
        return remote.call(Op.MAP_GET_OR_DEFAULT, checked(name), defaultValue);
    }

    @Override
    public void set(String name, Object value) {
        remote.call(Op.MAP_PUT, checked(name), value);
    }

    @Override
    public boolean has(String name) {
        return remote.<Boolean>call(Op.MAP_CONTAINS_KEY, checked(name));
    }

    @Override
    public void remove(String name) {
        remote.call(Op.NAMESPACE_REMOVE, checked(name));
    }

    @Override
    public Map<String, Object> copy() {
        return remote.call(Op.MAP_COPY);
    }

    private static String checked(String name) {
        return Objects.requireNonNull(name, "a namespace attribute needs a name");
    }

    /** Two proxies are equal when they stand for the same namespace. */
    @Override
    public boolean equals(Object o) {
        return o instanceof NamespaceProxy p && p.remote.equals(remote);
    }

    @Override
    public int hashCode() {
        return remote.hashCode();
    }

    /** {@code Namespace(x=1, y=2)}, as Python prints one, or a description once the manager is stopped. */
    @Override
    public String toString() {
        return remote.text(() -> {
            StringJoiner text = new StringJoiner(", ", "Namespace(", ")");
            copy().forEach((name, value) -> text.add(name + "=" + value));
            return text.toString();
        });
    }
}
