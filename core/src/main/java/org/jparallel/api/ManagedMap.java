package org.jparallel.api;

import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A map that lives in a {@link Manager} and is shared by every process that has a proxy of it (Python's
 * {@code manager.dict()}). Made by {@link Manager#dict()}; sent to workers by reference.
 *
 * <p>Every method is one request to the manager and is atomic. {@code merge}, {@code compute},
 * {@code computeIfAbsent}, {@code computeIfPresent} and {@code replaceAll} send their function to the
 * manager and run it there, so {@code counts.merge(word, 1, Integer::sum)} from many workers at once loses
 * no update. The function must be serializable: the overloads below take {@link SerialBiFunction} and
 * {@link SerialFunction}, so a lambda written at the call is; through a plain {@code Map} reference a
 * non-serializable lambda fails with {@link NotSendableException}. A function runs on the manager's one
 * thread: keep it short, and it must not call a manager proxy itself.
 *
 * <p><b>Copies.</b> Keys and values are copied in and out, as in Python: changing a value you got does not
 * change the map — store it again ({@code var cfg = d.get(k); cfg.add(x); d.put(k, cfg);}), or better,
 * update it atomically with {@code compute}. {@link #keySet()}, {@link #values()}, {@link #entrySet()},
 * iteration, {@code forEach}, {@code equals} and {@code toString} work on an unmodifiable snapshot taken
 * by one request ({@link #copy()}).
 *
 * <p>A key or value that cannot be sent fails at the call with {@link NotSendableException} (named
 * {@code key} or {@code value}); a call after the manager stopped fails with
 * {@link ManagerStoppedException}. Thread-safe.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public interface ManagedMap<K, V> extends Map<K, V> {

    /** A snapshot of the whole map, as an ordinary insertion-ordered map (one request). */
    Map<K, V> copy();

    /** {@link Map#merge}, run atomically on the manager with a serializable function. */
    default V merge(K key, V value, SerialBiFunction<? super V, ? super V, ? extends V> function) {
        return merge(key, value, (BiFunction<? super V, ? super V, ? extends V>) function);
    }

    /** {@link Map#compute}, run atomically on the manager with a serializable function. */
    default V compute(K key, SerialBiFunction<? super K, ? super V, ? extends V> function) {
        return compute(key, (BiFunction<? super K, ? super V, ? extends V>) function);
    }

    /** {@link Map#computeIfAbsent}, run atomically on the manager with a serializable function. */
    default V computeIfAbsent(K key, SerialFunction<? super K, ? extends V> function) {
        return computeIfAbsent(key, (Function<? super K, ? extends V>) function);
    }

    /** {@link Map#computeIfPresent}, run atomically on the manager with a serializable function. */
    default V computeIfPresent(K key, SerialBiFunction<? super K, ? super V, ? extends V> function) {
        return computeIfPresent(key, (BiFunction<? super K, ? super V, ? extends V>) function);
    }

    /** {@link Map#replaceAll}, run atomically on the manager: all values change, or none. */
    default void replaceAll(SerialBiFunction<? super K, ? super V, ? extends V> function) {
        replaceAll((BiFunction<? super K, ? super V, ? extends V>) function);
    }
}
