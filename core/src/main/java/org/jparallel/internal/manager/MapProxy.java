package org.jparallel.internal.manager;

import org.jparallel.api.ManagedMap;

import java.util.AbstractMap;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A proxy of a managed map: every method is one request to the server, and so atomic — the functions of
 * {@code merge}, {@code compute}... and {@code replaceAll} run on the server. Views ({@code keySet},
 * {@code values}, {@code entrySet}) and iteration work on an unmodifiable copy taken by one request.
 */
final class MapProxy<K, V> extends AbstractMap<K, V> implements ManagedMap<K, V>, ManagedProxy {

    private final RemoteObject remote;

    MapProxy(RemoteObject remote) {
        this.remote = remote;
    }

    @Override
    public ProxyReference reference() {
        return remote.reference();
    }

    @Override
    public Map<K, V> copy() {
        return remote.call(Op.MAP_COPY);
    }

    @Override
    public int size() {
        return remote.<Integer>call(Op.MAP_SIZE);
    }

    @Override
    public boolean isEmpty() {
        return size() == 0;
    }

    @Override
    public boolean containsKey(Object key) {
        return remote.<Boolean>call(Op.MAP_CONTAINS_KEY, key);
    }

    @Override
    public boolean containsValue(Object value) {
        return remote.<Boolean>call(Op.MAP_CONTAINS_VALUE, value);
    }

    @Override
    public V get(Object key) {
        return remote.call(Op.MAP_GET, key);
    }

    @Override
    public V put(K key, V value) {
        return remote.call(Op.MAP_PUT, key, value);
    }

    @Override
    public V remove(Object key) {
        return remote.call(Op.MAP_REMOVE, key);
    }

    @Override
    public void putAll(Map<? extends K, ? extends V> entries) {
        remote.call(Op.MAP_PUT_ALL, entries);
    }

    @Override
    public void clear() {
        remote.call(Op.MAP_CLEAR);
    }

    @Override
    public Set<K> keySet() {
        return Collections.unmodifiableSet(copy().keySet());
    }

    @Override
    public Collection<V> values() {
        return Collections.unmodifiableCollection(copy().values());
    }

    @Override
    public Set<Entry<K, V>> entrySet() {
        return Collections.unmodifiableMap(copy()).entrySet();
    }

    @Override
    public void forEach(BiConsumer<? super K, ? super V> action) {
        copy().forEach(action);
    }

    @Override
    public V getOrDefault(Object key, V defaultValue) {
        return remote.call(Op.MAP_GET_OR_DEFAULT, key, defaultValue);
    }

    @Override
    public V putIfAbsent(K key, V value) {
        return remote.call(Op.MAP_PUT_IF_ABSENT, key, value);
    }

    @Override
    public boolean remove(Object key, Object value) {
        return remote.<Boolean>call(Op.MAP_REMOVE_MAPPING, key, value);
    }

    @Override
    public V replace(K key, V value) {
        return remote.call(Op.MAP_REPLACE, key, value);
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        return remote.<Boolean>call(Op.MAP_REPLACE_MAPPING, key, oldValue, newValue);
    }

    @Override
    public V merge(K key, V value, BiFunction<? super V, ? super V, ? extends V> function) {
        return remote.call(Op.MAP_MERGE, key, value, function);
    }

    @Override
    public V compute(K key, BiFunction<? super K, ? super V, ? extends V> function) {
        return remote.call(Op.MAP_COMPUTE, key, function);
    }

    @Override
    public V computeIfAbsent(K key, Function<? super K, ? extends V> function) {
        return remote.call(Op.MAP_COMPUTE_IF_ABSENT, key, function);
    }

    @Override
    public V computeIfPresent(K key, BiFunction<? super K, ? super V, ? extends V> function) {
        return remote.call(Op.MAP_COMPUTE_IF_PRESENT, key, function);
    }

    @Override
    public void replaceAll(BiFunction<? super K, ? super V, ? extends V> function) {
        remote.call(Op.MAP_REPLACE_ALL, function);
    }

    /** The contents, or a description once the manager is stopped. */
    @Override
    public String toString() {
        return remote.text(() -> copy().toString());
    }
}
