package org.jparallel.internal.codec;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedList;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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
                "lone \uDC00 low", "ends high \uD83D", List.of(1))) {
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

    // --- malformed bytes ----------------------------------------------------------------------

    @Test
    void malformedCompactBytesAreACodecException() {
        byte[][] singles = {
                {0x7F}, {(byte) 0xFF, 1}, {0x01, 0}, {0x02, 1}, {0x03, 0}, {0x04, 0, 0, 0}, {0x04, 0, 0, 0, 0, 0},
                {0x05, 0, 0, 0, 0, 0, 0, 0}, {0x06}, {0x07, (byte) 0xC3}, {0x07, (byte) 0xED, (byte) 0xA0, (byte) 0x80},
                {0x07, (byte) 0xFF}, {0x11}, {0x14}};
        for (byte[] bytes : singles) {
            assertThrows(CodecException.class, () -> codec.decode(bytes), Arrays.toString(bytes));
        }
        byte[][] batches = {
                {0x7F}, {0x01}, {0x04, 0, 0, 0, 1}, {0x07, 'a'}, {0x11, 0, 0, 0}, {0x12, 0, 0, 0, 0, 0, 0, 0, 0, 0},
                {0x13, 0, 0, 0, 0}, {0x14, (byte) 0x80}, {0x14, 5, 'a'}, {0x14, 1, 'a', 2, 'b'},
                {0x14, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F},
                {0x14, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0}, {0x14, 1, (byte) 0xC3}};
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
