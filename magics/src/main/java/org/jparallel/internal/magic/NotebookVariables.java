package org.jparallel.internal.magic;

import org.jparallel.kernel.JavaKernel;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Declares notebook variables from a magic: the value is parked here under a key and the notebook
 * evaluates {@code TYPE NAME = NotebookVariables.take(key);}. Public because notebook code calls it.
 */
public final class NotebookVariables {

    private static final Map<Long, Object> PARKED = new ConcurrentHashMap<>();
    private static final AtomicLong KEYS = new AtomicLong();

    private NotebookVariables() {
    }

    /** Declares (or redeclares) {@code name} with this type and value in the notebook. */
    static void assign(JavaKernel kernel, String name, String type, Object value) {
        long key = KEYS.incrementAndGet();
        PARKED.put(key, value);
        try {
            kernel.evalCell(type + " " + name + " = (" + type + ") " + NotebookVariables.class.getName()
                    + ".take(" + key + "L);");
        } finally {
            PARKED.remove(key);
        }
    }

    /** The parked value; called by the declaration {@link #assign} evaluates. */
    public static Object take(long key) {
        return PARKED.remove(key);
    }
}
