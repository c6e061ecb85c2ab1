package org.jparallel.internal.manager;

import org.jparallel.api.ManagedList;
import org.jparallel.api.ManagedMap;
import org.jparallel.api.ManagedNamespace;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a managed object is, with its code in a proxy reference (tag 24) and its store on the server. */
enum ObjectKind {
    MAP(1, ManagedMap.class), LIST(2, ManagedList.class), NAMESPACE(3, ManagedNamespace.class);

    private final int code;
    private final Class<?> publicType;

    ObjectKind(int code, Class<?> publicType) {
        this.code = code;
        this.publicType = publicType;
    }

    /** The public interface its proxies implement, for messages. */
    Class<?> publicType() {
        return publicType;
    }

    int code() {
        return code;
    }

    /**
     * What the server keeps, holding {@code contents} (a map or collection, or null for empty): an
     * insertion-ordered map (as Python's dict) or an ArrayList.
     */
    Object newStore(Object contents) {
        if (this == LIST) {
            return contents == null ? new ArrayList<>() : new ArrayList<>((Collection<?>) contents);
        }
        return contents == null ? new LinkedHashMap<>() : new LinkedHashMap<>((Map<?, ?>) contents);
    }

    static ObjectKind ofCode(int code) {
        for (ObjectKind kind : values()) {
            if (kind.code == code) {
                return kind;
            }
        }
        throw new IllegalArgumentException("no managed object kind has code " + code);
    }
}
