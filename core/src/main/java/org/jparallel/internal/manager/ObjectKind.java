package org.jparallel.internal.manager;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a managed object is, with its code in a proxy reference (tag 24) and its store on the server. */
enum ObjectKind {
    MAP(1), LIST(2), NAMESPACE(3);

    private final int code;

    ObjectKind(int code) {
        this.code = code;
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
