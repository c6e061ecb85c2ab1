package org.jparallel.internal.codec;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedList;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompactFormTest {

    private static final String SURROGATE_PAIRS = "𝄞 clef, 😀 face, 𐍈";
    /** Over 16 KiB of UTF-8: its length takes three bytes in a batch. */
    private static final String LONG = "ünïcödé 𝄞 ".repeat(1_500);

    private final ValueCodec codec = new ValueCodec(CompactFormTest.class.getClassLoader());

    private static List<Object> listOf(Object... values) {
        return Arrays.asList(values);
    }

    // --- single values ------------------------------------------------------------------------

    @Test
    void scalarsHaveCompactFormsOfKnownSize() throws Exception {
        assertArrayEquals(new byte[] {0x01}, codec.encode(null, "v"));
        assertArrayEquals(new byte[] {0x02}, codec.encode(false, "v"));
        assertArrayEquals(new byte[] {0x03}, codec.encode(true, "v"));
        assertArrayEquals(new byte[] {0x04, (byte) 0x80, 0, 0, 0}, codec.encode(Integer.MIN_VALUE, "v"));
        assertArrayEquals(new byte[] {0x05, 0, 0, 0, 0, 0, 0, 1, 2}, codec.encode(258L, "v"));
        assertArrayEquals(new byte[] {0x06, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0}, codec.encode(-0.0, "v"));
        assertArrayEquals(new byte[] {0x07, 'h', (byte) 0xC3, (byte) 0xA9}, codec.encode("hé", "v"));
    }

    @Test
    void scalarsRoundTripWithTheirExactTypeAndBits() throws Exception {
        for (Object value : listOf(true, false, 0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 0L, 7L, Long.MIN_VALUE,
                Long.MAX_VALUE, 0.0, -0.0, Double.NaN, Double.longBitsToDouble(0x7FF8_0000_0000_0001L),
                Double.NEGATIVE_INFINITY, Double.MIN_VALUE, "", "plain", "a ? mark", "a literal \uFFFD",
                SURROGATE_PAIRS, LONG, "x".repeat(1 << 20))) {
            byte[] bytes = codec.encode(value, "v");
            assertTrue(CompactForm.isCompact(bytes), "compact form of " + value);
            Object copy = codec.decode(bytes);
            assertEquals(value.getClass(), copy.getClass(), "type of " + value);
            assertEquals(value, copy);
            if (value instanceof Double d) {
                assertEquals(Double.doubleToRawLongBits(d), Double.doubleToRawLongBits((Double) copy));
            }
        }
        assertNull(codec.decode(codec.encode(null, "v")));
    }

    @Test
    void otherScalarsAndStringsWithAnUnpairedSurrogateHaveNoCompactForm() throws Exception {
        for (Object value : listOf((byte) 1, (short) 2, 'c', 1.5f, new StringBuilder("sb"), "lone \uD800 high",
                "lone \uDC00 low", "ends high \uD83D", List.of(1), new Integer[] {1}, new int[][] {{1}})) {
            assertNull(CompactForm.encode(value), String.valueOf(value));
        }
        assertEquals(':', codec.encode((byte) 1, "v")[0]);
    }

    // --- batches ------------------------------------------------------------------------------

    @Test
    void batchesOfOneTypeRoundTripAsMutableArrayLists() throws Exception {
        List<List<Object>> batches = List.of(
                listOf(),
                listOf(0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 42),
                listOf(0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE),
                listOf(0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.MIN_VALUE, 1.0 / 3),
                listOf("", "a", "a ? mark", "a literal \uFFFD", SURROGATE_PAIRS, LONG, "é".repeat(64), ""));
        for (List<Object> batch : batches) {
            byte[] bytes = codec.encodeAll(batch, "chunk");
            assertTrue(CompactForm.isCompact(bytes), "compact form of " + batch);
            List<Object> copy = codec.decodeAll(bytes);
            assertEquals(ArrayList.class, copy.getClass());
            assertEquals(batch, copy);
            for (int i = 0; i < batch.size(); i++) {
                assertEquals(batch.get(i).getClass(), copy.get(i).getClass(), "type of element " + i);
            }
            copy.add(null);
        }
        List<Object> negativeZero = codec.decodeAll(codec.encodeAll(listOf(-0.0), "chunk"));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits((Double) negativeZero.get(0)));
    }

    @Test
    void batchesTakeRawBytesPerValue() throws Exception {
        assertArrayEquals(new byte[] {0x11}, codec.encodeAll(List.of(), "chunk"));
        assertArrayEquals(new byte[] {0x11, 0, 0, 0, 1, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF},
                codec.encodeAll(List.of(1, -1), "chunk"));
        assertEquals(1 + 8 * 3, codec.encodeAll(List.of(1L, 2L, 3L), "chunk").length);
        assertEquals(1 + 8 * 2, codec.encodeAll(List.of(1.0, 2.0), "chunk").length);
        byte[] lengths = codec.encodeAll(List.of("ab", "x".repeat(200)), "chunk");
        assertArrayEquals(new byte[] {0x14, 2, 'a', 'b', (byte) 0xC8, 0x01, 'x'}, Arrays.copyOf(lengths, 7));
        assertEquals(1 + 1 + 2 + 2 + 200, lengths.length);
    }

    @Test
    void anyListOfOneTypeIsPacked() throws Exception {
        List<Integer> linked = new LinkedList<>(IntStream.range(0, 1000).boxed().toList());
        byte[] bytes = codec.encodeAll(linked, "chunk", 5_000);
        assertEquals(CompactForm.INTEGERS, bytes[0]);
        assertEquals(linked, codec.decodeAll(bytes));
    }

    @Test
    void aBatchOfStringsWithAnUnpairedSurrogateHasNoCompactForm() {
        assertNull(CompactForm.encodeAll(List.of("a", "lone \uDFFF")));
        assertEquals(CompactForm.STRINGS, CompactForm.encodeAll(List.of("a", "paired \uD83D\uDE00"))[0]);
    }

    @Test
    void batchesWithNullsOrMixedTypesFallBackToSmile() throws Exception {
        List<List<Object>> batches = List.of(
                listOf(1, 2, null),
                listOf((Object) null),
                listOf(null, 1),
                listOf(1, 2L),
                listOf(1L, 2),
                listOf(1.0, 2.0f),
                listOf("a", 'b'),
                listOf(true, false),
                listOf(1, List.of(2)));
        for (List<Object> batch : batches) {
            byte[] bytes = codec.encodeAll(batch, "chunk");
            assertEquals(':', bytes[0], "Smile form of " + batch);
            List<Object> copy = codec.decodeAll(bytes);
            assertEquals(batch, copy);
            for (int i = 0; i < batch.size(); i++) {
                assertEquals(batch.get(i) == null ? null : batch.get(i).getClass(),
                        copy.get(i) == null ? null : copy.get(i).getClass(), "type of element " + i);
            }
        }
    }

    /**
     * Batches longer than the blocks they are boxed and unboxed in ({@link BoxedNumbers}): every value comes back,
     * with its exact type and bits, and a value of another type or a null falls back to Smile wherever it is: in the
     * first block, at the end or start of one, in the last.
     */
    @Test
    void batchesLongerThanABlockRoundTripAndFallBackWhereverTheOddValueIs() throws Exception {
        int n = 3 * BoxedNumbers.BLOCK + 5;
        List<List<Object>> batches = List.of(
                IntStream.range(0, n).mapToObj(i -> (Object) (i * 0x9E37_79B9)).toList(),
                IntStream.range(0, n).mapToObj(i -> (Object) (i * 0x9E37_79B9_7F4A_7C15L)).toList(),
                IntStream.range(0, n).mapToObj(i -> (Object) (i == 7 ? -0.0 : i / 3.0 - 7)).toList());
        for (List<Object> batch : batches) {
            byte[] bytes = codec.encodeAll(batch, "chunk");
            assertTrue(CompactForm.isCompact(bytes), "compact form of " + batch);
            List<Object> copy = codec.decodeAll(bytes);
            assertEquals(ArrayList.class, copy.getClass());
            for (int i = 0; i < n; i++) {
                assertEquals(batch.get(i).getClass(), copy.get(i).getClass(), "type of element " + i);
            }
            assertEquals(batch, copy);
            for (int at : new int[] {0, BoxedNumbers.BLOCK - 1, BoxedNumbers.BLOCK, n - 1}) {
                for (Object odd : listOf(null, at % 2 == 0 ? 1.5f : (Object) (short) 3)) {
                    List<Object> mixed = new ArrayList<>(batch);
                    mixed.set(at, odd);
                    byte[] smile = codec.encodeAll(mixed, "chunk");
                    assertEquals(':', smile[0], "Smile form with " + odd + " at " + at);
                    assertEquals(mixed, codec.decodeAll(smile));
                }
            }
        }
    }

    // --- primitive arrays ---------------------------------------------------------------------

    /** One array of each primitive type with its boundary values, {@code size} elements long (at least 8). */
    private static List<Object> arraysOfEveryType(int size) {
        boolean[] booleans = new boolean[size];
        byte[] bytes = new byte[size];
        short[] shorts = new short[size];
        char[] chars = new char[size];
        int[] ints = new int[size];
        long[] longs = new long[size];
        float[] floats = new float[size];
        double[] doubles = new double[size];
        for (int i = 0; i < size; i++) {
            booleans[i] = i % 3 == 0;
            bytes[i] = (byte) (i * 31);
            shorts[i] = (short) (i * 7919);
            chars[i] = (char) (i * 40_503);
            ints[i] = i * 0x9E37_79B9;
            longs[i] = i * 0x9E37_79B9_7F4A_7C15L;
            floats[i] = i * 1.5f - 3;
            doubles[i] = i / 3.0 - 7;
        }
        bytes[0] = Byte.MIN_VALUE;
        bytes[1] = Byte.MAX_VALUE;
        shorts[0] = Short.MIN_VALUE;
        chars[0] = Character.MAX_VALUE;
        ints[0] = Integer.MIN_VALUE;
        ints[1] = Integer.MAX_VALUE;
        longs[0] = Long.MIN_VALUE;
        longs[1] = Long.MAX_VALUE;
        floats[0] = Float.intBitsToFloat(0x7FC0_0001); // a NaN with a payload
        floats[1] = -0.0f;
        doubles[0] = Double.longBitsToDouble(0x7FF8_0000_0000_0001L);
        doubles[1] = -0.0;
        doubles[2] = Double.MIN_VALUE;
        return listOf(booleans, bytes, shorts, chars, ints, longs, floats, doubles);
    }

    private static void assertSameArray(Object expected, Object actual) {
        assertEquals(expected.getClass(), actual.getClass());
        // Arrays.deepEquals compares floats and doubles by their bits (Float.equals), NaN payloads and -0.0 included
        assertTrue(Arrays.deepEquals(new Object[] {expected}, new Object[] {actual}),
                expected.getClass().getSimpleName() + " differs");
        if (expected instanceof float[] f && f.length > 0) {
            assertEquals(Float.floatToRawIntBits(f[0]), Float.floatToRawIntBits(((float[]) actual)[0]));
        } else if (expected instanceof double[] d && d.length > 0) {
            assertEquals(Double.doubleToRawLongBits(d[0]), Double.doubleToRawLongBits(((double[]) actual)[0]));
        }
    }

    @Test
    void primitiveArraysOfEveryTypeRoundTripInBulk() throws Exception {
        for (int size : new int[] {8, 1000, 3_000_001}) {
            for (Object array : arraysOfEveryType(size)) {
                byte[] bytes = codec.encode(array, "v");
                assertEquals(CompactForm.ARRAY, bytes[0]);
                assertEquals(array.getClass().descriptorString().charAt(1), (char) bytes[1]);
                assertEquals(2 + PrimitiveArrays.byteLength(array), bytes.length);
                Object copy = codec.decode(bytes);
                assertNotSame(array, copy);
                assertSameArray(array, copy);
            }
        }
    }

    @Test
    void primitiveArraysAreBigEndianAfterTheirDescriptor() throws Exception {
        assertArrayEquals(new byte[] {0x08, 'I', 0x01, 0x02, 0x03, 0x04, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFE},
                codec.encode(new int[] {0x01020304, -2}, "v"));
        assertArrayEquals(new byte[] {0x08, 'Z', 1, 0, 1}, codec.encode(new boolean[] {true, false, true}, "v"));
        assertArrayEquals(new byte[] {0x08, 'B', -1, 7}, codec.encode(new byte[] {-1, 7}, "v"));
        assertArrayEquals(new byte[] {0x08, 'C', 0, 'a'}, codec.encode(new char[] {'a'}, "v"));
        assertArrayEquals(new byte[] {0x15, 'B', 2, 1, 2, 'S', 2, 0x01, 0x00, 'D', 0},
                codec.encodeAll(listOf(new byte[] {1, 2}, new short[] {256}, new double[0]), "chunk"));
    }

    @Test
    void emptyPrimitiveArraysRoundTrip() throws Exception {
        for (Object array : listOf(new boolean[0], new byte[0], new short[0], new char[0], new int[0], new long[0],
                new float[0], new double[0])) {
            assertEquals(2, codec.encode(array, "v").length);
            assertSameArray(array, codec.decode(codec.encode(array, "v")));
        }
        List<Object> copy = codec.decodeAll(codec.encodeAll(listOf(new byte[0], new long[0]), "chunk"));
        assertSameArray(new byte[0], copy.get(0));
        assertSameArray(new long[0], copy.get(1));
    }

    @Test
    void batchesOfPrimitiveArraysOfAnyTypesRoundTrip() throws Exception {
        for (int size : new int[] {8, 200_000}) {
            List<Object> batch = arraysOfEveryType(size);
            byte[] bytes = codec.encodeAll(batch, "chunk");
            assertEquals(CompactForm.ARRAYS, bytes[0]);
            List<Object> copy = codec.decodeAll(bytes);
            assertEquals(ArrayList.class, copy.getClass());
            assertEquals(batch.size(), copy.size());
            for (int i = 0; i < batch.size(); i++) {
                assertSameArray(batch.get(i), copy.get(i));
            }
        }
    }

    @Test
    void aBatchWithTheSameArrayTwiceKeepsItSharedThroughSmile() throws Exception {
        int[] shared = {1, 2, 3};
        byte[] bytes = codec.encodeAll(listOf(shared, new int[] {4}, shared), "chunk");
        assertEquals(':', bytes[0]);
        List<Object> copy = codec.decodeAll(bytes);
        assertSame(copy.get(0), copy.get(2));
        assertArrayEquals(shared, (int[]) copy.get(0));
        for (List<Object> mixed : List.of(listOf(new int[1], null), listOf(new int[1], 1), listOf(new int[1], new Integer[1]))) {
            assertEquals(':', codec.encodeAll(mixed, "chunk")[0], "Smile form of a batch with " + mixed.get(1));
        }
    }

    // --- malformed bytes ----------------------------------------------------------------------

    @Test
    void malformedCompactBytesAreACodecException() {
        byte[][] singles = {
                {0x7F}, {(byte) 0xFF, 1}, {0x01, 0}, {0x02, 1}, {0x03, 0}, {0x04, 0, 0, 0}, {0x04, 0, 0, 0, 0, 0},
                {0x05, 0, 0, 0, 0, 0, 0, 0}, {0x06}, {0x07, (byte) 0xC3}, {0x07, (byte) 0xED, (byte) 0xA0, (byte) 0x80},
                {0x07, (byte) 0xFF}, {0x11}, {0x14}, {0x08}, {0x08, 'X'}, {0x08, 'I', 1, 2, 3}, {0x08, 'D', 0},
                {0x08, 'L', 0}, {0x15}};
        for (byte[] bytes : singles) {
            assertThrows(CodecException.class, () -> codec.decode(bytes), Arrays.toString(bytes));
        }
        byte[][] batches = {
                {0x7F}, {0x01}, {0x04, 0, 0, 0, 1}, {0x07, 'a'}, {0x11, 0, 0, 0}, {0x12, 0, 0, 0, 0, 0, 0, 0, 0, 0},
                {0x13, 0, 0, 0, 0}, {0x14, (byte) 0x80}, {0x14, 5, 'a'}, {0x14, 1, 'a', 2, 'b'},
                {0x14, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F},
                {0x14, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0}, {0x14, 1, (byte) 0xC3},
                {0x08, 'B'}, {0x15, 'B'}, {0x15, 'B', 3, 1, 2}, {0x15, 'J', 4, 0, 0, 0, 0}, {0x15, 'Q', 0},
                {0x15, 'I', (byte) 0x80}};
        for (byte[] bytes : batches) {
            assertThrows(CodecException.class, () -> codec.decodeAll(bytes), Arrays.toString(bytes));
        }
    }

    @Test
    void aCodecExceptionSaysWhatIsWrong() {
        CodecException e = assertThrows(CodecException.class, () -> codec.decode(new byte[] {0x04, 1, 2}));
        assertEquals("malformed value bytes: form 0x4 takes 5 bytes, not 3", e.getMessage());
        e = assertThrows(CodecException.class, () -> codec.decodeAll(new byte[] {0x04, 1, 2, 3, 4}));
        assertEquals("malformed value bytes: a single value where a batch was expected", e.getMessage());
        e = assertThrows(CodecException.class, () -> codec.decode(new byte[] {0x11}));
        assertEquals("malformed value bytes: a batch where a single value was expected", e.getMessage());
        e = assertThrows(CodecException.class, () -> codec.decodeAll(new byte[] {(byte) 0xF0}));
        assertEquals("malformed value bytes: unknown form 0xf0", e.getMessage());
    }
}
