package org.jparallel.internal.codec;

import java.nio.ByteBuffer;

/**
 * Primitive arrays as compact big-endian binary, named by their JVM descriptor letter
 * ({@code Z B S C I J F D}); a boolean is one byte, 0 or 1.
 */
final class PrimitiveArrays {

    private PrimitiveArrays() {
    }

    /** The descriptor letter of a primitive array's component type, e.g. {@code "I"} for {@code int[]}. */
    static String descriptor(Object array) {
        return array.getClass().descriptorString().substring(1);
    }

    /** The array's elements as bytes. */
    static byte[] toBytes(Object array) {
        if (array instanceof byte[] bytes) {
            return bytes;
        } else if (array instanceof boolean[] booleans) {
            byte[] bytes = new byte[booleans.length];
            for (int i = 0; i < booleans.length; i++) {
                bytes[i] = (byte) (booleans[i] ? 1 : 0);
            }
            return bytes;
        } else if (array instanceof short[] shorts) {
            ByteBuffer buffer = ByteBuffer.allocate(shorts.length * Short.BYTES);
            buffer.asShortBuffer().put(shorts);
            return buffer.array();
        } else if (array instanceof char[] chars) {
            ByteBuffer buffer = ByteBuffer.allocate(chars.length * Character.BYTES);
            buffer.asCharBuffer().put(chars);
            return buffer.array();
        } else if (array instanceof int[] ints) {
            ByteBuffer buffer = ByteBuffer.allocate(ints.length * Integer.BYTES);
            buffer.asIntBuffer().put(ints);
            return buffer.array();
        } else if (array instanceof long[] longs) {
            ByteBuffer buffer = ByteBuffer.allocate(longs.length * Long.BYTES);
            buffer.asLongBuffer().put(longs);
            return buffer.array();
        } else if (array instanceof float[] floats) {
            ByteBuffer buffer = ByteBuffer.allocate(floats.length * Float.BYTES);
            buffer.asFloatBuffer().put(floats);
            return buffer.array();
        }
        double[] doubles = (double[]) array;
        ByteBuffer buffer = ByteBuffer.allocate(doubles.length * Double.BYTES);
        buffer.asDoubleBuffer().put(doubles);
        return buffer.array();
    }

    /** The array of component {@code descriptor} whose elements are {@code bytes}. */
    static Object fromBytes(String descriptor, byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        switch (descriptor) {
            case "B":
                return bytes;
            case "Z": {
                boolean[] booleans = new boolean[bytes.length];
                for (int i = 0; i < bytes.length; i++) {
                    booleans[i] = bytes[i] != 0;
                }
                return booleans;
            }
            case "S": {
                short[] shorts = new short[checkedLength(bytes, Short.BYTES)];
                buffer.asShortBuffer().get(shorts);
                return shorts;
            }
            case "C": {
                char[] chars = new char[checkedLength(bytes, Character.BYTES)];
                buffer.asCharBuffer().get(chars);
                return chars;
            }
            case "I": {
                int[] ints = new int[checkedLength(bytes, Integer.BYTES)];
                buffer.asIntBuffer().get(ints);
                return ints;
            }
            case "J": {
                long[] longs = new long[checkedLength(bytes, Long.BYTES)];
                buffer.asLongBuffer().get(longs);
                return longs;
            }
            case "F": {
                float[] floats = new float[checkedLength(bytes, Float.BYTES)];
                buffer.asFloatBuffer().get(floats);
                return floats;
            }
            case "D": {
                double[] doubles = new double[checkedLength(bytes, Double.BYTES)];
                buffer.asDoubleBuffer().get(doubles);
                return doubles;
            }
            default:
                throw new CodecException("malformed value bytes: unknown primitive array type " + descriptor);
        }
    }

    private static int checkedLength(byte[] bytes, int elementBytes) {
        if (bytes.length % elementBytes != 0) {
            throw new CodecException("malformed value bytes: a primitive array of " + bytes.length
                    + " bytes does not divide into " + elementBytes + "-byte elements");
        }
        return bytes.length / elementBytes;
    }
}
