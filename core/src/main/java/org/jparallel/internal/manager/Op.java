package org.jparallel.internal.manager;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The operations a manager performs on its objects, each one request, run on the server thread and
 * therefore atomic. A namespace is a map on the server. Functions (of {@code merge}, {@code compute}, ...)
 * arrive as decoded serializable lambdas; the values they produce are checked to be sendable before
 * they are stored, so a function that returns something unsendable fails its call and leaves the object
 * as it was. Views and iterations are answered with copies ({@link #MAP_COPY}, {@link #LIST_COPY}).
 */
enum Op {
    MAP_SIZE(1, "", (m, a, c) -> map(m).size()),
    MAP_GET(2, "key", (m, a, c) -> map(m).get(a[0])),
    MAP_CONTAINS_KEY(3, "key", (m, a, c) -> map(m).containsKey(a[0])),
    MAP_CONTAINS_VALUE(4, "value", (m, a, c) -> map(m).containsValue(a[0])),
    MAP_PUT(5, "key value", (m, a, c) -> map(m).put(a[0], a[1])),
    MAP_REMOVE(6, "key", (m, a, c) -> map(m).remove(a[0])),
    MAP_PUT_ALL(7, "entries", (m, a, c) -> {
        map(m).putAll(arg(a[0]));
        return null;
    }),
    MAP_CLEAR(8, "", (m, a, c) -> {
        map(m).clear();
        return null;
    }),
    MAP_COPY(9, "", (m, a, c) -> new LinkedHashMap<>(map(m))),
    MAP_GET_OR_DEFAULT(10, "key defaultValue", (m, a, c) -> map(m).getOrDefault(a[0], a[1])),
    MAP_PUT_IF_ABSENT(11, "key value", (m, a, c) -> map(m).putIfAbsent(a[0], a[1])),
    MAP_REMOVE_MAPPING(12, "key value", (m, a, c) -> map(m).remove(a[0], a[1])),
    MAP_REPLACE(13, "key value", (m, a, c) -> map(m).replace(a[0], a[1])),
    MAP_REPLACE_MAPPING(14, "key oldValue newValue", (m, a, c) -> map(m).replace(a[0], a[1], a[2])),
    MAP_MERGE(15, "key value function", (m, a, c) -> {
        BiFunction<Object, Object, Object> f = arg(a[2]);
        return map(m).merge(a[0], a[1], (x, y) -> c.sendable(f.apply(x, y)));
    }),
    MAP_COMPUTE(16, "key function", (m, a, c) -> {
        BiFunction<Object, Object, Object> f = arg(a[1]);
        return map(m).compute(a[0], (k, v) -> c.sendable(f.apply(k, v)));
    }),
    MAP_COMPUTE_IF_ABSENT(17, "key function", (m, a, c) -> {
        Function<Object, Object> f = arg(a[1]);
        return map(m).computeIfAbsent(a[0], k -> c.sendable(f.apply(k)));
    }),
    MAP_COMPUTE_IF_PRESENT(18, "key function", (m, a, c) -> {
        BiFunction<Object, Object, Object> f = arg(a[1]);
        return map(m).computeIfPresent(a[0], (k, v) -> c.sendable(f.apply(k, v)));
    }),
    MAP_REPLACE_ALL(19, "function", (m, a, c) -> {
        BiFunction<Object, Object, Object> f = arg(a[0]);
        Map<Object, Object> replaced = new LinkedHashMap<>(map(m));
        replaced.replaceAll((k, v) -> c.sendable(f.apply(k, v)));
        map(m).putAll(replaced); // all or nothing: the map changes only once every value is computed
        return null;
    }),

    LIST_SIZE(30, "", (l, a, c) -> list(l).size()),
    LIST_GET(31, "index", (l, a, c) -> list(l).get(arg(a[0]))),
    LIST_SET(32, "index element", (l, a, c) -> list(l).set(arg(a[0]), a[1])),
    LIST_ADD(33, "element", (l, a, c) -> list(l).add(a[0])),
    LIST_INSERT(34, "index element", (l, a, c) -> {
        list(l).add(arg(a[0]), a[1]);
        return null;
    }),
    LIST_REMOVE_AT(35, "index", (l, a, c) -> list(l).remove((int) arg(a[0]))),
    LIST_REMOVE(36, "element", (l, a, c) -> list(l).remove(a[0])),
    LIST_INDEX_OF(37, "element", (l, a, c) -> list(l).indexOf(a[0])),
    LIST_LAST_INDEX_OF(38, "element", (l, a, c) -> list(l).lastIndexOf(a[0])),
    LIST_CONTAINS(39, "element", (l, a, c) -> list(l).contains(a[0])),
    LIST_CLEAR(40, "", (l, a, c) -> {
        list(l).clear();
        return null;
    }),
    LIST_ADD_ALL(41, "elements", (l, a, c) -> list(l).addAll(arg(a[0]))),
    LIST_INSERT_ALL(42, "index elements", (l, a, c) -> list(l).addAll(arg(a[0]), arg(a[1]))),
    LIST_COPY(43, "", (l, a, c) -> new ArrayList<>(list(l))),
    LIST_SORT(44, "comparator", (l, a, c) -> {
        list(l).sort(arg(a[0]));
        return null;
    }),
    LIST_REPLACE_ALL(45, "operator", (l, a, c) -> {
        UnaryOperator<Object> f = arg(a[0]);
        List<Object> replaced = new ArrayList<>(list(l));
        replaced.replaceAll(e -> c.sendable(f.apply(e)));
        list(l).clear(); // all or nothing, as for maps
        list(l).addAll(replaced);
        return null;
    }),
    LIST_REMOVE_IF(46, "filter", (l, a, c) -> list(l).removeIf(arg(a[0]))),
    LIST_REMOVE_ALL(47, "elements", (l, a, c) -> list(l).removeAll(arg(a[0]))),
    LIST_RETAIN_ALL(48, "elements", (l, a, c) -> list(l).retainAll(arg(a[0]))),

    NAMESPACE_GET(60, "name", (n, a, c) -> {
        if (!map(n).containsKey(a[0])) {
            throw new NoSuchElementException("the namespace has no attribute '" + a[0] + "'");
        }
        return map(n).get(a[0]);
    }),
    NAMESPACE_REMOVE(61, "name", (n, a, c) -> {
        if (!map(n).containsKey(a[0])) {
            throw new NoSuchElementException("the namespace has no attribute '" + a[0] + "'");
        }
        return map(n).remove(a[0]);
    });

    /** Runs an operation on the server. */
    interface Handler {
        Object apply(Object target, Object[] arguments, Results results) throws Exception;
    }

    /** Checks, on the server, that a value a function produced can be sent. */
    interface Results {
        Object sendable(Object value);
    }

    private static final Op[] BY_CODE = new Op[64];

    static {
        for (Op op : values()) {
            BY_CODE[op.code] = op;
        }
    }

    private final int code;
    private final String[] argumentNames;
    private final Handler handler;

    Op(int code, String argumentNames, Handler handler) {
        this.code = code;
        this.argumentNames = argumentNames.isEmpty() ? new String[0] : argumentNames.split(" ");
        this.handler = handler;
    }

    int code() {
        return code;
    }

    /** What each argument is called in a {@code NotSendableException}: {@code key}, {@code value}... */
    String argumentName(int i) {
        return argumentNames[i];
    }

    int argumentCount() {
        return argumentNames.length;
    }

    /** Whether this operation works on a list (else on a map or namespace). */
    boolean onList() {
        return name().startsWith("LIST_");
    }

    Object apply(Object target, Object[] arguments, Results results) throws Exception {
        return handler.apply(target, arguments, results);
    }

    /** The operation with this code, or null. */
    static Op ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> map(Object target) {
        return (Map<Object, Object>) target;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object target) {
        return (List<Object>) target;
    }

    @SuppressWarnings("unchecked")
    private static <T> T arg(Object argument) {
        return (T) argument;
    }
}
