package org.jparallel.kernel;

import java.lang.reflect.Array;
import java.util.Arrays;

/** Arrays shown by their contents ({@code [1, 2, 3]}), not by Java's {@code [I@1b6d3586}. */
final class ArrayText {

    private ArrayText() {
    }

    static String of(Object array) {
        Object[] boxed = new Object[Array.getLength(array)];
        for (int i = 0; i < boxed.length; i++) {
            boxed[i] = Array.get(array, i);
        }
        return Arrays.deepToString(boxed);
    }
}
