package org.jparallel.internal.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.dataformat.smile.SmileFactory;
import org.jparallel.api.NotSendableException;
import org.jparallel.internal.codec.DeepGraphs.Node;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.jparallel.internal.codec.DeepGraphs.chain;
import static org.jparallel.internal.codec.DeepGraphs.length;
import static org.jparallel.internal.codec.DeepGraphs.setOfDeepHash;
import static org.jparallel.internal.codec.DeepGraphs.tail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Object graphs far deeper than any thread's stack: the codec walks them with a work stack of its own, so
 * they round-trip whatever the depth, and what it cannot send or rebuild is a clear error, never a
 * {@link StackOverflowError}. Values here are compared by walking them: {@code equals} and
 * {@code hashCode} of a deep record or list recurse, and would overflow the test's own stack.
 */
class DeepGraphCodecTest {

    private static final int DEEP = 200_000;

    private final ValueCodec codec = new ValueCodec(DeepGraphCodecTest.class.getClassLoader());

    record Link(int value, Link next) {
    }

    @Test
    void aPlainLinkedListOfAMillionNodesRoundTrips() throws Exception {
        int length = 1_000_000;
        assertEquals(length, length(codec.decode(codec.encode(chain(length), "list"))));
    }

    @Test
    void aDeepChainInsideABatchRoundTripsAndKeepsSharedNodesShared() throws Exception {
        Node head = chain(DEEP);
        List<Object> copy = codec.decodeAll(codec.encodeAll(List.of(head, "after", tail(head)), "result"));
        assertEquals(DEEP, length(copy.get(0)));
        assertEquals("after", copy.get(1));
        assertSame(tail((Node) copy.get(0)), copy.get(2));
    }

    @Test
    void aCycleClosingAtTheEndOfADeepChainIsRebuilt() throws Exception {
        Node head = chain(DEEP);
        tail(head).payload = head;
        Node copy = (Node) codec.decode(codec.encode(head, "ring"));
        assertEquals(DEEP, length(copy));
        assertSame(copy, tail(copy).payload);
    }

    @Test
    void aDeepRecordChainIsRebuiltThroughItsConstructors() throws Exception {
        Link head = null;
        for (int i = DEEP - 1; i >= 0; i--) {
            head = new Link(i, head);
        }
        Link link = (Link) codec.decode(codec.encode(head, "links"));
        for (int i = 0; i < DEEP; i++) {
            assertEquals(i, link.value());
            link = link.next();
        }
        assertNull(link);
    }

    @Test
    void deeplyNestedListsMapsArraysAndOptionalsRoundTrip() throws Exception {
        Object value = "bottom";
        for (int i = DEEP - 1; i >= 0; i--) {
            value = switch (i % 7) {
                case 0 -> new ArrayList<>(List.of(i, value));
                case 1 -> new HashMap<>(Map.of("level", i, "inner", value));
                case 2 -> new Object[] {i, value};
                case 3 -> Optional.of(List.of(i, value));
                case 4 -> new TreeMap<>(Map.of(i, value));
                case 5 -> Map.entry(i, value);
                default -> new LinkedList<>(List.of(i, value));
            };
        }
        Object level = codec.decode(codec.encode(value, "nested"));
        for (int i = 0; i < DEEP; i++) {
            level = switch (i % 7) {
                case 0 -> assertLevel(i, assertInstanceOf(ArrayList.class, level));
                case 1 -> {
                    Map<?, ?> map = assertInstanceOf(HashMap.class, level);
                    assertEquals(i, map.get("level"));
                    yield map.get("inner");
                }
                case 2 -> assertLevel(i, List.of((Object[]) level));
                case 3 -> assertLevel(i, (List<?>) assertInstanceOf(Optional.class, level).orElseThrow());
                case 4 -> assertInstanceOf(TreeMap.class, level).get(i);
                case 5 -> {
                    Map.Entry<?, ?> entry = assertInstanceOf(Map.Entry.class, level);
                    assertEquals(i, entry.getKey());
                    yield entry.getValue();
                }
                default -> assertLevel(i, assertInstanceOf(LinkedList.class, level));
            };
        }
        assertEquals("bottom", level);
    }

    private static Object assertLevel(int i, List<?> pair) {
        assertEquals(2, pair.size());
        assertEquals(i, pair.get(0));
        return pair.get(1);
    }

    @Test
    void somethingUnsendableAtTheEndOfADeepChainIsRefusedWithAShortenedPath() {
        Node head = chain(DEEP);
        tail(head).payload = new Thread();
        NotSendableException e = assertThrows(NotSendableException.class, () -> codec.encode(head, "list"));
        assertEquals(Thread.class.getName(), e.offendingClass());
        assertTrue(e.path().startsWith("list.next.next.next"), e.path());
        assertTrue(e.path().endsWith(".next.next.payload"), e.path());
        assertTrue(e.path().contains("…(" + (DEEP - 20) + " steps left out)…"), e.path());
        assertTrue(e.getMessage().length() < 1_000, e.getMessage());
    }

    @Test
    void aJdkValueTooDeepForJavaSerializationIsRefusedWithItsPath() {
        Throwable error = new IllegalStateException("root");
        for (int i = 0; i < DEEP; i++) {
            error = new IllegalStateException("wrapped " + i, error);
        }
        List<Object> value = List.of("ok", error);
        NotSendableException e = assertThrows(NotSendableException.class, () -> codec.encode(value, "failures"));
        assertEquals("failures[1]", e.path());
        assertTrue(e.reason().contains("too deeply nested"), e.reason());
    }

    @Test
    void aStackOverflowInUserCodeWhileDecodingIsACodecException() throws Exception {
        byte[] bytes = codec.encode(setOfDeepHash(DEEP), "set");
        CodecException e = assertThrows(CodecException.class, () -> codec.decode(bytes));
        assertTrue(e.getMessage().contains("StackOverflowError"), e.getMessage());
    }

    @Test
    void anArrayLengthTheBytesCannotHoldIsMalformedNotAnOutOfMemoryError() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator out = new SmileFactory().createGenerator(bytes)) {
            out.writeStartArray();
            out.writeNumber(Tag.OBJECT_ARRAY);
            out.writeString(Object.class.getName());
            out.writeNumber(Integer.MAX_VALUE - 8);
            out.writeEndArray();
        }
        CodecException e = assertThrows(CodecException.class, () -> codec.decode(bytes.toByteArray()));
        assertTrue(e.getMessage().contains("malformed"), e.getMessage());
    }
}
