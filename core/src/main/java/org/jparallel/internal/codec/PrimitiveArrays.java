package org.jparallel.internal.codec;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Primitive arrays as compact big-endian binary, named by their JVM descriptor letter
 * ({@code Z B S C I J F D}); a boolean is one byte, 0 or 1. Elements move in bulk through
 * {@link ByteBuffer} views (one copy, byte-swapped by the JDK's intrinsics), never one by one
 * through a stream.
 */
final class PrimitiveArrays {

    private PrimitiveArrays() {
    }

    /** Whether {@code type} is an array of a primitive type, e.g. {@code int[]}. */
    static boolean isPrimitiveArray(Class<?> type) {
        return type.isArray() && type.getComponentType().isPrimitive();
    }

    /** The descriptor letter of a primitive array's component type, e.g. {@code "I"} for {@code int[]}. */
    static String descriptor(Object array) {
        return array.getClass().descriptorString().substring(1);
    }

    /** The descriptor letter of a primitive array's component type as a byte, e.g. {@code 'I'} for {@code int[]}. */
    static byte descriptorByte(Object array) {
        return (byte) array.getClass().descriptorString().charAt(1);
    }

    /** How many bytes the array's elements take (a long: a {@code long[]} may take more than an array holds). */
    static long byteLength(Object array) {
        return (long) java.lang.reflect.Array.getLength(array) * elementBytes(descriptorByte(array));
    }

    /** The array's elements as bytes ({@code array} itself for a {@code byte[]}). */
    static byte[] toBytes(Object array) {
        if (array instanceof byte[] bytes) {
            return bytes;
        }
        byte[] bytes = new byte[Math.toIntExact(byteLength(array))];
        put(array, bytes, 0);
        return bytes;
    }

    /** Writes the array's elements into {@code target} from {@code offset}; there must be room for them. */
    static void put(Object array, byte[] target, int offset) {
        if (array instanceof byte[] bytes) {
            System.arraycopy(bytes, 0, target, offset, bytes.length);
            return;
        } else if (array instanceof boolean[] booleans) {
            for (int i = 0; i < booleans.length; i++) {
                target[offset + i] = (byte) (booleans[i] ? 1 : 0);
            }
            return;
        }
        ByteBuffer out = ByteBuffer.wrap(target, offset, target.length - offset).slice();
        if (array instanceof short[] shorts) {
            out.asShortBuffer().put(shorts);
        } else if (array instanceof char[] chars) {
            out.asCharBuffer().put(chars);
        } else if (array instanceof int[] ints) {
            out.asIntBuffer().put(ints);
        } else if (array instanceof long[] longs) {
            out.asLongBuffer().put(longs);
        } else if (array instanceof float[] floats) {
            out.asFloatBuffer().put(floats);
        } else {
            out.asDoubleBuffer().put((double[]) array);
        }
    }

    /** The array of component {@code descriptor} whose elements are {@code bytes} ({@code bytes} itself for "B"). */
    static Object fromBytes(String descriptor, byte[] bytes) {
        if (descriptor.equals("B")) {
            return bytes;
        }
        byte letter = descriptor.length() == 1 ? (byte) descriptor.charAt(0) : 0;
        if (elementBytes(letter) == 0) {
            throw unknown(descriptor);
        }
        return fromBytes(letter, bytes, 0, bytes.length);
    }

    /**
     * A new array of component {@code descriptor} whose elements are the {@code length} bytes of {@code source}
     * at {@code offset}.
     */
    static Object fromBytes(byte descriptor, byte[] source, int offset, int length) {
        int elementBytes = elementBytes(descriptor);
        if (elementBytes == 0) {
            throw unknown(String.valueOf((char) (descriptor & 0xFF)));
        } else if (length % elementBytes != 0) {
            throw new CodecException("malformed value bytes: a primitive array of " + length
                    + " bytes does not divide into " + elementBytes + "-byte elements");
        }
        int count = length / elementBytes;
        ByteBuffer in = ByteBuffer.wrap(source, offset, length).slice();
        switch (descriptor) {
            case 'B':
                return Arrays.copyOfRange(source, offset, offset + length);
            case 'Z': {
                boolean[] booleans = new boolean[count];
                for (int i = 0; i < count; i++) {
                    booleans[i] = source[offset + i] != 0;
                }
                return booleans;
            }
            case 'S': {
                short[] shorts = new short[count];
                in.asShortBuffer().get(shorts);
                return shorts;
            }
            case 'C': {
                char[] chars = new char[count];
                in.asCharBuffer().get(chars);
                return chars;
            }
            case 'I': {
                int[] ints = new int[count];
                in.asIntBuffer().get(ints);
                return ints;
            }
            case 'J': {
                long[] longs = new long[count];
                in.asLongBuffer().get(longs);
                return longs;
            }
            case 'F': {
                float[] floats = new float[count];
                in.asFloatBuffer().get(floats);
                return floats;
            }
            default: {
                double[] doubles = new double[count];
                in.asDoubleBuffer().get(doubles);
                return doubles;
            }
        }
    }

    /** The size of one element of component {@code descriptor}, or 0 if it names no primitive type. */
    private static int elementBytes(byte descriptor) {
        return switch (descriptor) {
            case 'Z', 'B' -> 1;
            case 'S', 'C' -> 2;
            case 'I', 'F' -> 4;
            case 'J', 'D' -> 8;
            default -> 0;
        };
    }

    private static CodecException unknown(String descriptor) {
        return new CodecException("malformed value bytes: unknown primitive array type " + descriptor);
    }
}
