package org.jparallel.internal.codec;

import java.util.ArrayList;

/**
 * Boxes and unboxes the numbers of a {@link CompactForm} batch (Integers, Longs, Doubles), each loop cut into
 * blocks of {@value #BLOCK} elements with one call per block.
 *
 * <p>Why blocks: HotSpot compiles a method once it has been called often enough, but a loop in a method that is
 * called rarely only once the loop has gone round about 60,000 times (on-stack replacement,
 * {@code Tier3BackEdgeThreshold}). A loop over a batch runs once per chunk, so in a fresh JVM it stayed in the
 * interpreter for the whole first {@code map} of 100,000 elements, in the kernel and in each worker (50,000
 * elements each; issue 15). A method called once per block of 16 is compiled after about 2,000 elements instead:
 * the interpreter tells the JIT about calls every 128 calls, and a method is compiled once it was called 100 times
 * and its calls and loop turns together reach 2,000 (with blocks of 16, at the 128th call). The loop around the
 * blocks stays interpreted: one call per 16 elements.
 */
final class BoxedNumbers {

    /** Elements per call: the smallest block whose method is compiled at the JIT's first look (see above). */
    static final int BLOCK = 16;

    private BoxedNumbers() {
    }

    /**
     * The numbers boxed, in an ArrayList: {@code numbers} is an {@code int[]} (Integers), or a {@code long[]} of
     * Longs or, if {@code doubles}, of Doubles' raw bits ({@code doubleToRawLongBits}).
     */
    static ArrayList<Object> box(Object numbers, boolean doubles) {
        int length = numbers instanceof int[] ints ? ints.length : ((long[]) numbers).length;
        ArrayList<Object> values = new ArrayList<>(length);
        for (int from = 0; from < length; from += BLOCK) {
            box(numbers, doubles, values, from, Math.min(length, from + BLOCK));
        }
        return values;
    }

    private static void box(Object numbers, boolean doubles, ArrayList<Object> into, int from, int to) {
        if (numbers instanceof int[] ints) {
            for (int i = from; i < to; i++) {
                into.add(ints[i]);
            }
        } else {
            long[] bits = (long[]) numbers;
            for (int i = from; i < to; i++) {
                into.add(doubles ? (Object) Double.longBitsToDouble(bits[i]) : (Object) bits[i]);
            }
        }
    }

    /**
     * Unboxes each value into {@code numbers}: an {@code int[]} for Integers, else a {@code long[]} for Longs or, if
     * {@code doubles}, for Doubles' raw bits ({@code doubleToRawLongBits}). Returns false, leaving the rest undone,
     * if some value is null or of another class.
     */
    static boolean unbox(Object[] values, Object numbers, boolean doubles) {
        for (int from = 0; from < values.length; from += BLOCK) {
            int to = Math.min(values.length, from + BLOCK);
            boolean unboxed = numbers instanceof int[] ints ? unboxIntegers(values, ints, from, to)
                    : unboxEightBytes(values, (long[]) numbers, doubles, from, to);
            if (!unboxed) {
                return false;
            }
        }
        return true;
    }

    private static boolean unboxIntegers(Object[] values, int[] into, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!(values[i] instanceof Integer value)) {
                return false;
            }
            into[i] = value;
        }
        return true;
    }

    private static boolean unboxEightBytes(Object[] values, long[] into, boolean doubles, int from, int to) {
        for (int i = from; i < to; i++) {
            Object value = values[i];
            if (doubles && value instanceof Double d) {
                into[i] = Double.doubleToRawLongBits(d);
            } else if (!doubles && value instanceof Long l) {
                into[i] = l;
            } else {
                return false;
            }
        }
        return true;
    }
}
