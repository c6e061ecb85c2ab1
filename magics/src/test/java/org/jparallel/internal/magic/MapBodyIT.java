package org.jparallel.internal.magic;

import org.jparallel.api.WorkerPool;
import org.jparallel.internal.code.CellFunction;
import org.jparallel.testing.NoSegmentsLeft;
import org.jparallel.testing.Pools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code %%parallel --map x:xs} over every kind of primitive array: the notebook compiles
 * {@code MapBody.of(xs, (x) -> {body})}, so {@code x} gets the boxed element type, and the elements reach
 * real workers as that type.
 */
@ExtendWith(NoSegmentsLeft.class)
class MapBodyIT {

    /** What a cell body that names its element's class gives: e.g. {@code Byte -2}. */
    private static String described(Object x) {
        return x.getClass().getSimpleName() + " " + x;
    }

    @Test
    void everyPrimitiveArrayIsMappedOverWithItsBoxedElementType() throws Exception {
        // each body's parameter type is checked by the compiler: x.byteValue() compiles only if x is a Byte
        Map<Object, MapBody<?, String>> bodies = new LinkedHashMap<>();
        bodies.put(new byte[] {1, -2}, MapBody.of(new byte[] {1, -2}, x -> described(x.byteValue())));
        bodies.put(new short[] {300, -4}, MapBody.of(new short[] {300, -4}, x -> described(x.shortValue())));
        bodies.put(new char[] {'a', 'ß'}, MapBody.of(new char[] {'a', 'ß'}, x -> described(x.charValue())));
        bodies.put(new int[] {7, 8}, MapBody.of(new int[] {7, 8}, x -> described(x.intValue())));
        bodies.put(new long[] {1L << 40, 9}, MapBody.of(new long[] {1L << 40, 9}, x -> described(x.longValue())));
        bodies.put(new float[] {1.5f, -0.25f}, MapBody.of(new float[] {1.5f, -0.25f}, x -> described(x.floatValue())));
        bodies.put(new double[] {2.5, 1e300}, MapBody.of(new double[] {2.5, 1e300}, x -> described(x.doubleValue())));
        bodies.put(new boolean[] {true, false}, MapBody.of(new boolean[] {true, false}, x -> described(x.booleanValue())));
        List<List<String>> expected = List.of(List.of("Byte 1", "Byte -2"), List.of("Short 300", "Short -4"),
                List.of("Character a", "Character ß"), List.of("Integer 7", "Integer 8"),
                List.of("Long 1099511627776", "Long 9"), List.of("Float 1.5", "Float -0.25"),
                List.of("Double 2.5", "Double 1.0E300"), List.of("Boolean true", "Boolean false"));

        WorkerPool pool = Pools.start(1);
        try {
            int kind = 0;
            for (Map.Entry<Object, MapBody<?, String>> e : bodies.entrySet()) {
                assertTrue(MapBody.mappable(e.getKey()), e.getKey().getClass().getSimpleName());
                List<Object> elements = new ArrayList<>();
                for (Iterator<?> it = e.getValue().input(); it.hasNext(); ) {
                    elements.add(it.next());
                }
                @SuppressWarnings("unchecked")
                CellFunction<Object, String> function = (CellFunction<Object, String>) e.getValue().function();
                assertEquals(expected.get(kind++), pool.map(function, elements));
            }
        } finally {
            pool.close();
        }
        assertFalse(MapBody.mappable(42));
        assertFalse(MapBody.mappable(null));
    }
}
