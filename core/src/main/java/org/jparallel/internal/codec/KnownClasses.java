package org.jparallel.internal.codec;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The classes a codec has found by name in its loader, remembered. Once a loader has given a class for a
 * name, the JVM gives that class for the name every time (without asking the loader again), so remembering
 * it changes nothing but the cost: {@code Class.forName} takes longer than decoding a small record.
 * A name not found is not remembered: a later snippet may define it. Thread-safe.
 */
final class KnownClasses {

    private final ClassLoader loader;
    private final Map<String, Class<?>> byName = new ConcurrentHashMap<>();

    KnownClasses(ClassLoader loader) {
        this.loader = loader;
    }

    /** The loader classes are found in. */
    ClassLoader loader() {
        return loader;
    }

    /**
     * The class called {@code name} (as {@link Class#getName()} spells it) in the loader.
     *
     * @throws CodecException if there is none or it cannot be loaded
     */
    Class<?> resolve(String name) {
        Class<?> type = byName.get(name);
        if (type == null) {
            type = ClassNames.resolve(name, loader);
            byName.put(name, type);
        }
        return type;
    }
}
