package org.jparallel.internal.codec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * Where the writer is inside the value it sends, kept cheaply as a stack of steps and rendered
 * as text only for an error (notation: see {@link org.jparallel.api.NotSendableException}).
 */
final class PathStack {

    private static final int MAX_KEY_TEXT = 40;
    /** Steps rendered at each end of a long path. */
    private static final int ENDS = 10;
    private static final byte NAME = 0;
    private static final byte INDEX = 1;
    private static final byte MAP_KEY = 2;
    private static final byte MAP_VALUE = 3;

    private final String root;
    private byte[] kinds = new byte[16];
    private Object[] labels = new Object[16];
    private long[] numbers = new long[16];
    private int depth;

    PathStack(String root) {
        this.root = root;
    }

    /** Steps into a field, record component or a named part such as {@code <value>}. */
    void push(String name) {
        grow();
        kinds[depth] = NAME;
        labels[depth++] = name;
    }

    /** Steps into element {@code index} of an array or collection. */
    void pushIndex(long index) {
        grow();
        kinds[depth] = INDEX;
        labels[depth] = null;
        numbers[depth++] = index;
    }

    /** Steps into the key of a map's entry number {@code entry}. */
    void pushMapKey(long entry) {
        grow();
        kinds[depth] = MAP_KEY;
        labels[depth] = null;
        numbers[depth++] = entry;
    }

    /** Steps into the value stored under {@code key}, the map's entry number {@code entry}. */
    void pushMapValue(Object key, long entry) {
        grow();
        kinds[depth] = MAP_VALUE;
        labels[depth] = key;
        numbers[depth++] = entry;
    }

    void pop() {
        labels[--depth] = null;
    }

    /** Steps back out to {@code steps} steps. */
    void truncate(int steps) {
        while (depth > steps) {
            labels[--depth] = null;
        }
    }

    int depth() {
        return depth;
    }

    /** The whole path, e.g. {@code jobs[3].lock}. */
    String render() {
        return render(depth);
    }

    /**
     * The path of the first {@code steps} steps; a path longer than {@code 2 * ENDS} steps (deep in a long
     * chain) keeps its first and last {@code ENDS} and says how many it leaves out between them.
     */
    String render(int steps) {
        StringBuilder text = new StringBuilder(root);
        for (int i = 0; i < steps; i++) {
            if (i == ENDS && steps > 2 * ENDS) {
                text.append("…(").append(steps - 2 * ENDS).append(" steps left out)…");
                i = steps - ENDS - 1;
                continue;
            }
            switch (kinds[i]) {
                case NAME -> text.append('.').append(labels[i]);
                case INDEX -> text.append('[').append(numbers[i]).append(']');
                case MAP_KEY -> text.append(".<key ").append(numbers[i]).append('>');
                default -> {
                    String key = simpleText(labels[i]);
                    if (key == null) {
                        text.append(".<value ").append(numbers[i]).append('>');
                    } else {
                        text.append('[').append(key).append(']');
                    }
                }
            }
        }
        return text.toString();
    }

    /** A map key's text when it is short and cannot run user code, else null. */
    private static String simpleText(Object key) {
        boolean simple = key instanceof String || isJdkNumber(key)
                || key instanceof Character || key instanceof Boolean || key instanceof Enum<?>;
        if (!simple) {
            return null;
        }
        String text = key instanceof Enum<?> constant ? constant.name() : key.toString();
        return text.length() <= MAX_KEY_TEXT ? text : text.substring(0, MAX_KEY_TEXT) + "…";
    }

    private static boolean isJdkNumber(Object key) {
        return key instanceof Integer || key instanceof Long || key instanceof Short || key instanceof Byte
                || key instanceof Double || key instanceof Float
                || key.getClass() == BigInteger.class || key.getClass() == BigDecimal.class;
    }

    private void grow() {
        if (depth == kinds.length) {
            kinds = Arrays.copyOf(kinds, depth * 2);
            labels = Arrays.copyOf(labels, depth * 2);
            numbers = Arrays.copyOf(numbers, depth * 2);
        }
    }
}
