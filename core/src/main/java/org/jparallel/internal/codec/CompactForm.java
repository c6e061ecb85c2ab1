package org.jparallel.internal.codec;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The compact forms of the value encoding ({@code docs/wire-protocol.md}, section "Values"): a single
 * null, Boolean, Integer, Long, Double or String, or a batch whose values are all Integers, all Longs,
 * all Doubles or all Strings, written as a form byte and raw big-endian bytes instead of a Smile document.
 * They decode to exactly what the Smile forms decode to, and cost a fraction of a Smile generator or
 * parser. A form byte is never {@code ':'}, the first byte of every Smile document (its header), so the
 * first byte tells the two apart. Every value with a compact form can always be sent: no refusal is lost.
 */
final class CompactForm {

    /** {@code 0x01}: null. */
    static final byte NULL = 0x01;
    /** {@code 0x02}: Boolean.FALSE. */
    static final byte FALSE = 0x02;
    /** {@code 0x03}: Boolean.TRUE. */
    static final byte TRUE = 0x03;
    /** {@code 0x04}, 4 bytes: an Integer. */
    static final byte INTEGER = 0x04;
    /** {@code 0x05}, 8 bytes: a Long. */
    static final byte LONG = 0x05;
    /** {@code 0x06}, 8 bytes: a Double, its IEEE 754 bits ({@code doubleToRawLongBits}). */
    static final byte DOUBLE = 0x06;
    /** {@code 0x07}, UTF-8 to the end: a String. */
    static final byte STRING = 0x07;
    /**
     * {@code 0x08}, a descriptor letter ({@code Z B S C I J F D}), then the elements big-endian to the end: a
     * primitive array, e.g. a {@code byte[]} or {@code double[]}, copied in bulk.
     */
    static final byte ARRAY = 0x08;
    /** {@code 0x11}, 4 bytes per value: a batch of Integers (also the empty batch). */
    static final byte INTEGERS = 0x11;
    /** {@code 0x12}, 8 bytes per value: a batch of Longs. */
    static final byte LONGS = 0x12;
    /** {@code 0x13}, 8 bytes per value: a batch of Doubles. */
    static final byte DOUBLES = 0x13;
    /** {@code 0x14}, per value its UTF-8 length (unsigned LEB128), then the UTF-8: a batch of Strings. */
    static final byte STRINGS = 0x14;
    /**
     * {@code 0x15}, per value a descriptor letter, the length of its elements in bytes (unsigned LEB128), then
     * its elements big-endian: a batch of primitive arrays, no array twice (the Smile form keeps such a shared
     * reference shared).
     */
    static final byte ARRAYS = 0x15;

    /** The first byte of a Smile header, hence of every Smile form. */
    private static final byte SMILE = ':';

    private CompactForm() {
    }

    /** Whether {@code bytes} hold a compact form rather than a Smile document. */
    static boolean isCompact(byte[] bytes) {
        return bytes.length > 0 && bytes[0] != SMILE;
    }

    /** The compact form of {@code value}, or null if it has none (another type, or a String UTF-8 cannot hold). */
    static byte[] encode(Object value) {
        if (value == null) {
            return new byte[] {NULL};
        }
        Class<?> type = value.getClass();
        if (type == Integer.class) {
            return withBits(INTEGER, (Integer) value, Integer.BYTES);
        } else if (type == String.class) {
            byte[] utf8 = utf8((String) value);
            if (utf8 == null) {
                return null;
            }
            byte[] bytes = new byte[1 + utf8.length];
            bytes[0] = STRING;
            System.arraycopy(utf8, 0, bytes, 1, utf8.length);
            return bytes;
        } else if (type == Double.class) {
            return withBits(DOUBLE, Double.doubleToRawLongBits((Double) value), Double.BYTES);
        } else if (type == Long.class) {
            return withBits(LONG, (Long) value, Long.BYTES);
        } else if (type == Boolean.class) {
            return new byte[] {(Boolean) value ? TRUE : FALSE};
        } else if (PrimitiveArrays.isPrimitiveArray(type)) {
            return array(value);
        }
        return null;
    }

    /** The compact form of a batch, or null if its values are not all of one type that has one. */
    static byte[] encodeAll(List<?> values) {
        Object[] array = values.toArray();
        if (array.length == 0 || array[0] instanceof Integer) {
            return integers(array);
        } else if (array[0] instanceof Double) {
            return eightByteValues(array, DOUBLES);
        } else if (array[0] instanceof Long) {
            return eightByteValues(array, LONGS);
        } else if (array[0] instanceof String) {
            return strings(array);
        } else if (array[0] != null && PrimitiveArrays.isPrimitiveArray(array[0].getClass())) {
            return arrays(array);
        }
        return null;
    }

    /**
     * The value of a single compact form.
     *
     * @throws CodecException if the bytes are malformed or hold a batch
     */
    static Object decode(byte[] bytes) {
        switch (bytes[0]) {
            case NULL:
                expectLength(bytes, 1);
                return null;
            case FALSE:
                expectLength(bytes, 1);
                return Boolean.FALSE;
            case TRUE:
                expectLength(bytes, 1);
                return Boolean.TRUE;
            case INTEGER:
                return (int) bits(bytes, Integer.BYTES);
            case LONG:
                return bits(bytes, Long.BYTES);
            case DOUBLE:
                return Double.longBitsToDouble(bits(bytes, Double.BYTES));
            case STRING:
                return string(bytes, 1, bytes.length - 1);
            case ARRAY:
                if (bytes.length < 2) {
                    throw malformed("a primitive array without its type");
                }
                return PrimitiveArrays.fromBytes(bytes[1], bytes, 2, bytes.length - 2);
            case INTEGERS, LONGS, DOUBLES, STRINGS, ARRAYS:
                throw malformed("a batch where a single value was expected");
            default:
                throw unknownForm(bytes[0]);
        }
    }

    /**
     * The values of a compact batch, in an ArrayList as the Smile form decodes to.
     *
     * @throws CodecException if the bytes are malformed or hold a single value
     */
    static List<Object> decodeAll(byte[] bytes) {
        ByteBuffer body = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
        switch (bytes[0]) {
            case INTEGERS: {
                int[] ints = new int[count(bytes, Integer.BYTES)];
                body.asIntBuffer().get(ints);
                return BoxedNumbers.box(ints, false);
            }
            case LONGS, DOUBLES: {
                long[] bits = new long[count(bytes, Long.BYTES)];
                body.asLongBuffer().get(bits);
                return BoxedNumbers.box(bits, bytes[0] == DOUBLES);
            }
            case STRINGS:
                return strings(bytes);
            case ARRAYS:
                return arrays(bytes);
            case NULL, FALSE, TRUE, INTEGER, LONG, DOUBLE, STRING, ARRAY:
                throw malformed("a single value where a batch was expected");
            default:
                throw unknownForm(bytes[0]);
        }
    }

    private static byte[] integers(Object[] values) {
        int[] ints = new int[values.length];
        if (!BoxedNumbers.unbox(values, ints, false)) {
            return null;
        }
        ByteBuffer out = ByteBuffer.allocate(1 + Integer.BYTES * ints.length).put(INTEGERS);
        out.asIntBuffer().put(ints);
        return out.array();
    }

    /** A batch of Longs, or of Doubles by their bits ({@code form}), as 8 bytes each. */
    private static byte[] eightByteValues(Object[] values, byte form) {
        long[] bits = new long[values.length];
        if (!BoxedNumbers.unbox(values, bits, form == DOUBLES)) {
            return null;
        }
        ByteBuffer out = ByteBuffer.allocate(1 + Long.BYTES * bits.length).put(form);
        out.asLongBuffer().put(bits);
        return out.array();
    }

    private static byte[] strings(Object[] values) {
        byte[][] utf8 = new byte[values.length][];
        long size = 1;
        for (int i = 0; i < values.length; i++) {
            utf8[i] = values[i] instanceof String value ? utf8(value) : null;
            if (utf8[i] == null) {
                return null;
            }
            size += varintSize(utf8[i].length) + utf8[i].length;
        }
        if (size > Integer.MAX_VALUE - 8) {
            return null; // more than an array holds: the Smile form says so
        }
        byte[] bytes = new byte[(int) size];
        bytes[0] = STRINGS;
        int at = 1;
        for (byte[] value : utf8) {
            at = putVarint(bytes, at, value.length);
            System.arraycopy(value, 0, bytes, at, value.length);
            at += value.length;
        }
        return bytes;
    }

    /**
     * A single primitive array: form byte, descriptor letter, elements, in an array of exactly that size, so that
     * a 12.5 MB {@code byte[]} is copied once (through a Smile document it was copied three times and more).
     */
    private static byte[] array(Object value) {
        long length = PrimitiveArrays.byteLength(value);
        if (length > Integer.MAX_VALUE - 10) {
            return null; // more than an array holds: the Smile form says so
        }
        byte[] bytes = new byte[2 + (int) length];
        bytes[0] = ARRAY;
        bytes[1] = PrimitiveArrays.descriptorByte(value);
        PrimitiveArrays.put(value, bytes, 2);
        return bytes;
    }

    /** A batch of primitive arrays, or null if some value is not one or some array comes twice. */
    private static byte[] arrays(Object[] values) {
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        long size = 1;
        for (Object value : values) {
            if (value == null || !PrimitiveArrays.isPrimitiveArray(value.getClass()) || !seen.add(value)) {
                return null;
            }
            long length = PrimitiveArrays.byteLength(value);
            size += 1 + varintSize((int) Math.min(length, Integer.MAX_VALUE)) + length;
        }
        if (size > Integer.MAX_VALUE - 8) {
            return null;
        }
        byte[] bytes = new byte[(int) size];
        bytes[0] = ARRAYS;
        int at = 1;
        for (Object value : values) {
            bytes[at++] = PrimitiveArrays.descriptorByte(value);
            int length = (int) PrimitiveArrays.byteLength(value);
            at = putVarint(bytes, at, length);
            PrimitiveArrays.put(value, bytes, at);
            at += length;
        }
        return bytes;
    }

    private static List<Object> arrays(byte[] bytes) {
        List<Object> values = new ArrayList<>();
        ByteBuffer body = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
        while (body.hasRemaining()) {
            byte descriptor = body.get();
            int length = length(body, "primitive array");
            values.add(PrimitiveArrays.fromBytes(descriptor, bytes, body.position(), length));
            body.position(body.position() + length);
        }
        return values;
    }

    /** Writes {@code length} as unsigned LEB128 at {@code at}; returns the index after it. */
    private static int putVarint(byte[] bytes, int at, int length) {
        for (; ; length >>>= 7) {
            if (length < 0x80) {
                bytes[at++] = (byte) length;
                return at;
            }
            bytes[at++] = (byte) (length | 0x80);
        }
    }

    /** Reads a length (unsigned LEB128) of a value of the batch that must fit in what remains of {@code body}. */
    private static int length(ByteBuffer body, String what) {
        int length = 0;
        for (int shift = 0; ; shift += 7) {
            if (!body.hasRemaining() || shift > 28) {
                throw malformed("a batch with a malformed length at byte " + body.position());
            }
            byte b = body.get();
            length |= (b & 0x7F) << shift;
            if (b >= 0) {
                break;
            }
        }
        if (length < 0 || length > body.remaining()) {
            throw malformed("a " + what + " of " + Integer.toUnsignedString(length) + " bytes where "
                    + body.remaining() + " remain");
        }
        return length;
    }

    private static int varintSize(int length) {
        int size = 1;
        while ((length >>>= 7) != 0) {
            size++;
        }
        return size;
    }

    private static List<Object> strings(byte[] bytes) {
        List<Object> values = new ArrayList<>();
        ByteBuffer body = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
        while (body.hasRemaining()) {
            int length = length(body, "string");
            values.add(string(bytes, body.position(), length));
            body.position(body.position() + length);
        }
        return values;
    }

    /** The UTF-8 bytes of {@code s}, or null if it has an unpaired surrogate, which UTF-8 cannot hold. */
    private static byte[] utf8(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        // getBytes writes '?' for an unpaired surrogate: only then is the check needed
        for (byte b : utf8) {
            if (b == '?') {
                return unpairedSurrogate(s) < 0 ? utf8 : null;
            }
        }
        return utf8;
    }

    /** The index of the first unpaired surrogate in {@code s}, or -1 if it has none. */
    static int unpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /** The string whose UTF-8 is {@code length} bytes at {@code offset}, which must be well-formed. */
    private static String string(byte[] bytes, int offset, int length) {
        String s = new String(bytes, offset, length, StandardCharsets.UTF_8);
        // the lenient decoder writes U+FFFD for malformed input: only then is the strict check needed
        if (s.indexOf('\uFFFD') >= 0) {
            try {
                StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, offset, length));
            } catch (CharacterCodingException e) {
                throw new CodecException("malformed value bytes: a string that is not well-formed UTF-8", e);
            }
        }
        return s;
    }

    /** The form byte followed by the low {@code width} bytes of {@code bits}, big-endian. */
    private static byte[] withBits(byte form, long bits, int width) {
        byte[] bytes = new byte[1 + width];
        bytes[0] = form;
        for (int i = width; i > 0; i--) {
            bytes[i] = (byte) bits;
            bits >>>= 8;
        }
        return bytes;
    }

    /** The {@code width} bytes after the form byte as a big-endian number. */
    private static long bits(byte[] bytes, int width) {
        expectLength(bytes, 1 + width);
        long bits = 0;
        for (int i = 1; i <= width; i++) {
            bits = bits << 8 | (bytes[i] & 0xFF);
        }
        return bits;
    }

    private static void expectLength(byte[] bytes, int length) {
        if (bytes.length != length) {
            throw malformed("form 0x" + Integer.toHexString(bytes[0] & 0xFF) + " takes " + length + " bytes, not " + bytes.length);
        }
    }

    /** The number of values of {@code width} bytes after the form byte. */
    private static int count(byte[] bytes, int width) {
        if ((bytes.length - 1) % width != 0) {
            throw malformed("a batch of " + (bytes.length - 1) + " bytes does not divide into " + width + "-byte values");
        }
        return (bytes.length - 1) / width;
    }

    private static CodecException unknownForm(byte form) {
        return malformed("unknown form 0x" + Integer.toHexString(form & 0xFF));
    }

    private static CodecException malformed(String problem) {
        return new CodecException("malformed value bytes: " + problem);
    }
}
