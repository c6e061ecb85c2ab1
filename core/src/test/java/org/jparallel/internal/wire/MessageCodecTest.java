package org.jparallel.internal.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.dataformat.smile.SmileFactory;
import com.fasterxml.jackson.dataformat.smile.SmileGenerator;
import org.jparallel.internal.codec.CodecException;
import org.jparallel.internal.wire.Message.CallShape;
import org.jparallel.internal.wire.Message.FailureKind;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The message layout of {@code docs/wire-protocol.md}: each message kind is written here by hand as a
 * Smile object, and the codec must produce exactly those bytes and read them back; then everything
 * that is not a message must fail with a {@link CodecException}.
 */
class MessageCodecTest {

    private static final String SHA_A = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static final String SHA_B = "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";

    private static final SmileFactory SMILE = SmileFactory.builder()
            .disable(SmileGenerator.Feature.ENCODE_BINARY_AS_7BIT)
            .build();

    private final MessageCodec codec = new MessageCodec();

    /** A message and its fields as they travel. */
    record Sample(Message message, Map<String, Object> fields) {
    }

    /** Fields a message may leave out (they decode as null); all others are required. */
    private static final Set<String> NULLABLE = Set.of("exceptionClass", "message", "cause", "file", "function");
    /** Fields a peer of an older version does not send, never null when sent. */
    private static final Set<String> MAY_BE_ABSENT = Set.of("ranNanos", "endNanos");

    private static final String UNICODE = "héllo ✓ 日本語 \uD834\uDD1E tab\t nul\u0000 end";

    static Map<String, Object> fields(Object... namesAndValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return fields;
    }

    static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Every message kind, with edge values: extreme numbers, nulls where allowed, empty and large data. */
    static List<Sample> samples() {
        byte[] large = randomBytes(1 << 20, 1);
        Message.Frame frame = new Message.Frame("a.B", "c", "B.java", 12);
        Message.Frame nativeFrame = new Message.Frame("d.E$1", "<init>", null, -2);
        Message.Failure cause = new Message.Failure(Long.MAX_VALUE, FailureKind.EXCEPTION, "java.io.IOException",
                null, List.of(), null);
        Message.Failure failure = new Message.Failure(4, FailureKind.EXCEPTION, "java.lang.IllegalStateException",
                UNICODE, List.of(frame, nativeFrame), cause);
        Message.Failure whole = new Message.Failure(-1, FailureKind.CANCELLED, null, "cancelled", List.of(), null);
        Map<String, Object> frameFields = fields("className", "a.B", "method", "c", "file", "B.java", "line", 12);
        Map<String, Object> nativeFrameFields = fields("className", "d.E$1", "method", "<init>", "file", null,
                "line", -2);
        Map<String, Object> causeFields = fields("element", Long.MAX_VALUE, "kind", "EXCEPTION",
                "exceptionClass", "java.io.IOException", "message", null, "frames", List.of(), "cause", null);
        Map<String, Object> failureFields = fields("element", 4, "kind", "EXCEPTION",
                "exceptionClass", "java.lang.IllegalStateException", "message", UNICODE,
                "frames", List.of(frameFields, nativeFrameFields), "cause", causeFields);
        Map<String, Object> wholeFields = fields("element", -1, "kind", "CANCELLED", "exceptionClass", null,
                "message", "cancelled", "frames", List.of(), "cause", null);
        Map<String, byte[]> classes = new LinkedHashMap<>();
        classes.put("REPL.$JShell$12", new byte[] {(byte) 0xCA, (byte) 0xFE, 0, 1});
        classes.put("REPL.$JShell$11", new byte[0]);
        classes.put("REPL.Big", large);
        byte[] cafe = {(byte) 0xCA, (byte) 0xFE, 0, 1};
        return List.of(
                new Sample(new Message.Hello(3, 4242L),
                        fields("t", "hello", "worker", 3, "pid", 4242L)),
                new Sample(new Message.Hello(-1, Long.MAX_VALUE),
                        fields("t", "hello", "worker", -1, "pid", Long.MAX_VALUE)),
                new Sample(new Message.Output(9, false, UNICODE),
                        fields("t", "output", "task", 9, "error", false, "text", UNICODE)),
                new Sample(new Message.Output(0, true, ""),
                        fields("t", "output", "task", 0, "error", true, "text", "")),
                new Sample(new Message.Done(Long.MAX_VALUE, large, List.of(failure, whole), 1_234_567_890L, -42L),
                        fields("t", "done", "task", Long.MAX_VALUE, "results", large,
                                "failures", List.of(failureFields, wholeFields), "ranNanos", 1_234_567_890L,
                                "endNanos", -42L)),
                new Sample(new Message.Done(1, new byte[0], List.of()),
                        fields("t", "done", "task", 1, "results", new byte[0], "failures", List.of(), "ranNanos", 0L, "endNanos", 0L)),
                new Sample(new Message.DefineCode(classes, List.of(new Message.Jar("a.jar", SHA_A, 12),
                        new Message.Jar("dïr ✓", SHA_B, Long.MAX_VALUE))),
                        fields("t", "define-code", "classes", fields("REPL.$JShell$12", cafe,
                                        "REPL.$JShell$11", new byte[0], "REPL.Big", large),
                                "jars", List.of(fields("name", "a.jar", "sha256", SHA_A, "size", 12),
                                        fields("name", "dïr ✓", "sha256", SHA_B, "size", Long.MAX_VALUE)))),
                new Sample(new Message.DefineCode(Map.of(), List.of()),
                        fields("t", "define-code", "classes", fields(), "jars", List.of())),
                new Sample(new Message.FetchJar(SHA_A, 1L << 40),
                        fields("t", "fetch-jar", "sha256", SHA_A, "offset", 1L << 40)),
                new Sample(new Message.JarPart(SHA_A, 0, large, false),
                        fields("t", "jar-part", "sha256", SHA_A, "offset", 0, "bytes", large, "last", false)),
                new Sample(new Message.JarPart(SHA_B, 7, new byte[0], true),
                        fields("t", "jar-part", "sha256", SHA_B, "offset", 7, "bytes", new byte[0], "last", true)),
                new Sample(new Message.JarRefused(SHA_A, UNICODE),
                        fields("t", "jar-refused", "sha256", SHA_A, "reason", UNICODE)),
                new Sample(new Message.SetVariables(List.of(new Message.Variable("REPL.$JShell$11", "x", cafe),
                        new Message.Variable("REPL.$JShell$12", "ÿ", new byte[0]))),
                        fields("t", "set-variables", "variables", List.of(
                                fields("className", "REPL.$JShell$11", "field", "x", "value", cafe),
                                fields("className", "REPL.$JShell$12", "field", "ÿ", "value", new byte[0])))),
                new Sample(new Message.SetVariables(List.of()), fields("t", "set-variables", "variables", List.of())),
                new Sample(new Message.RunSnippets(10, List.of("REPL.$JShell$11", "REPL.$JShell$12"), true),
                        fields("t", "run-snippets", "task", 10, "classes", List.of("REPL.$JShell$11", "REPL.$JShell$12"),
                                "keepValue", true)),
                new Sample(new Message.RunSnippets(11, List.of(), false),
                        fields("t", "run-snippets", "task", 11, "classes", List.of(), "keepValue", false)),
                new Sample(new Message.RunChunk(Long.MAX_VALUE, Long.MIN_VALUE, large, CallShape.TWO_ARGUMENTS,
                        Integer.MAX_VALUE + 1L, large),
                        fields("t", "run-chunk", "task", Long.MAX_VALUE, "functionId", Long.MIN_VALUE, "function", large,
                                "shape", "TWO_ARGUMENTS", "firstElement", Integer.MAX_VALUE + 1L, "elements", large)),
                new Sample(new Message.RunChunk(12, 3, null, CallShape.NO_ARGUMENT, 0, new byte[0]),
                        fields("t", "run-chunk", "task", 12, "functionId", 3, "function", null,
                                "shape", "NO_ARGUMENT", "firstElement", 0, "elements", new byte[0])),
                new Sample(new Message.RunChunk(13, 4, cafe, CallShape.ONE_ARGUMENT, 7, cafe),
                        fields("t", "run-chunk", "task", 13, "functionId", 4, "function", cafe,
                                "shape", "ONE_ARGUMENT", "firstElement", 7, "elements", cafe)),
                new Sample(new Message.Cancel(0), fields("t", "cancel", "task", 0)),
                new Sample(new Message.Cancel(Long.MIN_VALUE), fields("t", "cancel", "task", Long.MIN_VALUE)),
                new Sample(new Message.Exit(), fields("t", "exit", "status", 0)),
                new Sample(new Message.Exit(Integer.MIN_VALUE), fields("t", "exit", "status", Integer.MIN_VALUE)),
                new Sample(new Message.Heartbeat(1_250_000_000L, 52_428_800L),
                        fields("t", "heartbeat", "cpuNanos", 1_250_000_000L, "rssBytes", 52_428_800L)),
                new Sample(new Message.Heartbeat(0, -1), fields("t", "heartbeat", "cpuNanos", 0, "rssBytes", -1)),
                new Sample(new Message.Progress(14, 250), fields("t", "progress", "task", 14, "elementsDone", 250)),
                new Sample(new Message.Progress(Long.MAX_VALUE, 0), fields("t", "progress", "task", Long.MAX_VALUE,
                        "elementsDone", 0)));
    }

    /** Smile bytes of a plain value: maps are objects, lists arrays, {@code byte[]} raw binary. */
    static byte[] smile(Object value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator out = SMILE.createGenerator(bytes)) {
            write(out, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void write(JsonGenerator out, Object value) throws IOException {
        if (value == null) {
            out.writeNull();
        } else if (value instanceof String s) {
            out.writeString(s);
        } else if (value instanceof Integer i) {
            out.writeNumber(i);
        } else if (value instanceof Long l) {
            out.writeNumber(l);
        } else if (value instanceof Double d) {
            out.writeNumber(d);
        } else if (value instanceof Boolean b) {
            out.writeBoolean(b);
        } else if (value instanceof byte[] b) {
            out.writeBinary(b);
        } else if (value instanceof List<?> list) {
            out.writeStartArray();
            for (Object item : list) {
                write(out, item);
            }
            out.writeEndArray();
        } else {
            out.writeStartObject();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                out.writeFieldName((String) e.getKey());
                write(out, e.getValue());
            }
            out.writeEndObject();
        }
    }

    /** A message as nested lists and maps, {@code byte[]} as hex, so that equals compares everything. */
    static Object plain(Object value) {
        if (value instanceof Record r) {
            Map<String, Object> components = new LinkedHashMap<>();
            components.put("record", r.getClass().getSimpleName());
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                try {
                    components.put(c.getName(), plain(c.getAccessor().invoke(r)));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
            return components;
        } else if (value instanceof byte[] b) {
            return "0x" + HexFormat.of().formatHex(b);
        } else if (value instanceof List<?> list) {
            return list.stream().map(MessageCodecTest::plain).toList();
        } else if (value instanceof Map<?, ?> map) {
            List<Object> entries = new ArrayList<>();
            map.forEach((k, v) -> entries.add(List.of(k, plain(v))));
            return entries;
        }
        return value;
    }

    static void assertSameMessage(Message expected, Message actual) {
        assertEquals(plain(expected), plain(actual));
    }

    // --- the layout ---------------------------------------------------------------------------

    @Test
    void everyKindIsWrittenAsTheDocumentedObjectAndReadBack() {
        for (Sample s : samples()) {
            byte[] bytes = codec.encode(s.message());
            assertArrayEquals(smile(s.fields()), bytes, () -> "bytes of " + s.message().getClass().getSimpleName());
            assertSameMessage(s.message(), codec.decode(bytes));
        }
    }

    /** A worker of a version before run timelines sends no running time: its tasks are placed by the kernel. */
    @Test
    void aDoneWithoutItsRunningTimeReadsAsNotMeasured() {
        Message decoded = codec.decode(smile(fields("t", "done", "task", 5, "results", new byte[0], "failures", List.of())));
        assertEquals(0, ((Message.Done) decoded).ranNanos());
        assertEquals(0, ((Message.Done) decoded).endNanos());
    }

    /** What the wire relies on to read every large frame into one reused array (WireServer, ZmtpConnection). */
    @Test
    void aMessageReadFromThePrefixOfAnArraySharesNothingWithIt() {
        byte[] results = new byte[200_000];
        Arrays.fill(results, (byte) 7);
        Message.Done done = new Message.Done(3, results, List.of(), 5, 6);
        byte[] bytes = codec.encode(done);
        byte[] array = Arrays.copyOf(bytes, bytes.length + 1000); // a larger frame's bytes follow
        Arrays.fill(array, bytes.length, array.length, (byte) 0x3A);
        Message decoded = codec.decode(array, bytes.length);
        Arrays.fill(array, (byte) 0); // the next frame
        assertSameMessage(done, decoded);
        assertThrows(CodecException.class, () -> codec.decode(bytes, bytes.length - 1));
    }

    @Test
    void largeBinaryFieldsArePartsOfTheirOwnAndTheBytesStayTheSame() {
        // lengths either side of the large-value threshold and of Smile's length bytes (6, then 7 bits each)
        for (int length : new int[] {64 * 1024 - 1, 64 * 1024, (1 << 20) - 1, 1 << 20, 12_500_000}) {
            byte[] payload = new byte[length];
            new Random(length).nextBytes(payload);
            Message.Failure failure = new Message.Failure(0, FailureKind.EXCEPTION, "E", "m", List.of(), null);
            for (Sample s : List.of(
                    new Sample(new Message.RunChunk(5, 6, payload, CallShape.ONE_ARGUMENT, 9, payload),
                            fields("t", "run-chunk", "task", 5, "functionId", 6, "function", payload,
                                    "shape", "ONE_ARGUMENT", "firstElement", 9, "elements", payload)),
                    new Sample(new Message.Done(8, payload, List.of(failure)),
                            fields("t", "done", "task", 8, "results", payload, "failures", List.of(fields("element", 0,
                                    "kind", "EXCEPTION", "exceptionClass", "E", "message", "m", "frames", List.of(),
                                    "cause", null)), "ranNanos", 0L, "endNanos", 0L)))) {
                ByteBuffer[] parts = codec.encodeParts(s.message());
                byte[] joined = new byte[Math.toIntExact(MessageCodec.size(parts))];
                ByteBuffer into = ByteBuffer.wrap(joined);
                long own = 0;
                for (ByteBuffer part : parts) {
                    own += part.array() == payload ? 1 : 0;
                    into.put(part.duplicate());
                }
                assertEquals(length < 64 * 1024 ? 0 : 1, own,
                        "parts that are the payload itself, " + length + " bytes");
                assertArrayEquals(smile(s.fields()), joined, () -> "bytes of " + s.fields().get("t") + ", " + length);
                assertArrayEquals(joined, codec.encode(s.message()));
                assertSameMessage(s.message(), codec.decode(joined));
            }
        }
    }

    @Test
    void binaryIsRawAndListsAndMapsDecodeUnmodifiableInTheSendersOrder() {
        byte[] bytes = codec.encode(new Message.Cancel(1));
        assertEquals(':', bytes[0]);
        assertEquals(0x04, bytes[3] & 0x04, "header flag: raw binary");
        Message.DefineCode define = (Message.DefineCode) codec.decode(smile(fields("t", "define-code",
                "classes", fields("z", new byte[] {1}, "a", new byte[] {2}, "m", new byte[] {3}),
                "jars", List.of(fields("name", "2", "sha256", SHA_A, "size", 2),
                        fields("name", "1", "sha256", SHA_B, "size", 1)))));
        assertEquals(List.of("z", "a", "m"), List.copyOf(define.classes().keySet()));
        assertThrows(UnsupportedOperationException.class, () -> define.classes().put("b", new byte[0]));
        assertEquals(List.of("2", "1"), define.jars().stream().map(Message.Jar::name).toList());
        assertThrows(UnsupportedOperationException.class, () -> define.jars().add(null));
    }

    @Test
    void unknownFieldsAndAnyFieldOrderAreAccepted() {
        Map<String, Object> future = fields("future", fields("nested", List.of(1, fields("x", null), 2.5)),
                "task", 5, "extra", new byte[] {1}, "t", "cancel", "more", List.of(List.of()));
        assertSameMessage(new Message.Cancel(5), codec.decode(smile(future)));
        Map<String, Object> failure = fields("cause", null, "frames", List.of(), "kind", "NOT_SENDABLE",
                "element", 2, "since", "v2");
        assertSameMessage(new Message.Done(7, new byte[] {1}, List.of(
                        new Message.Failure(2, FailureKind.NOT_SENDABLE, null, null, List.of(), null))),
                codec.decode(smile(fields("t", "done", "task", 7, "results", new byte[] {1},
                        "failures", List.of(failure)))));
    }

    @Test
    void everyFieldIsRequiredUnlessItsRecordAllowsNull() {
        for (Sample s : samples()) {
            for (String name : s.fields().keySet()) {
                Map<String, Object> without = new LinkedHashMap<>(s.fields());
                without.remove(name);
                Map<String, Object> withNull = new LinkedHashMap<>(s.fields());
                withNull.put(name, null);
                if (NULLABLE.contains(name)) {
                    codec.decode(smile(without));
                    codec.decode(smile(withNull));
                } else if (MAY_BE_ABSENT.contains(name)) {
                    codec.decode(smile(without));
                    assertNotAMessage(smile(withNull), name + " is null");
                } else {
                    assertNotAMessage(smile(without), name + " is missing");
                    assertNotAMessage(smile(withNull), name + " is null");
                }
            }
        }
        Map<String, Object> noKind = fields("element", 1, "frames", List.of());
        assertNotAMessage(smile(fields("t", "done", "task", 1, "results", new byte[0], "failures", List.of(noKind))),
                "failures[0].kind is missing");
        Map<String, Object> badFrame = fields("className", "a.B", "file", "B.java", "line", 1);
        Map<String, Object> causeWithBadFrame = fields("element", 1, "kind", "EXCEPTION", "frames", List.of(badFrame));
        Map<String, Object> failure = fields("element", 1, "kind", "EXCEPTION", "frames", List.of(),
                "cause", causeWithBadFrame);
        assertNotAMessage(smile(fields("t", "done", "task", 1, "results", new byte[0], "failures",
                List.of(fields("element", 1, "kind", "CANCELLED", "frames", List.of()), failure))),
                "failures[1].cause.frames[0].method is missing");
    }

    // --- what is not a message ----------------------------------------------------------------

    @Test
    void bytesThatAreNotSmileAreRefused() {
        assertNotAMessage(new byte[0], "");
        assertNotAMessage("garbage".getBytes(StandardCharsets.US_ASCII), "");
        assertNotAMessage("{\"t\":\"cancel\",\"task\":1}".getBytes(StandardCharsets.UTF_8), "");
        for (long seed = 0; seed < 50; seed++) {
            assertNotAMessage(randomBytes(200, seed), "");
        }
        assertNotAMessage(new byte[] {':', ')', '\n', 0}, "not a Smile object");
        assertNotAMessage(new byte[] {':', ')', '\n', 4, (byte) 0xFA}, "");
    }

    @Test
    void otherSmileValuesAndTrailingBytesAreRefused() {
        assertNotAMessage(smile(List.of(fields("t", "cancel", "task", 1))), "not a Smile object");
        assertNotAMessage(smile("cancel"), "not a Smile object");
        assertNotAMessage(smile(null), "not a Smile object");
        byte[] one = smile(fields("t", "cancel", "task", 1));
        byte[] two = Arrays.copyOf(one, one.length * 2);
        System.arraycopy(one, 0, two, one.length, one.length);
        assertNotAMessage(two, "more bytes follow it");
        byte[] headless = Arrays.copyOf(one, one.length * 2 - 4);
        System.arraycopy(one, 4, headless, one.length, one.length - 4);
        assertNotAMessage(headless, "more bytes follow it");
        assertNotAMessage(Arrays.copyOf(one, one.length + 1), "");
    }

    @Test
    void everyTruncationIsRefused() {
        for (Sample s : samples()) {
            byte[] bytes = codec.encode(s.message());
            int step = Math.max(1, bytes.length / 200);
            for (int length = 0; length < bytes.length; length += step) {
                assertNotAMessage(Arrays.copyOf(bytes, length), "");
            }
            assertNotAMessage(Arrays.copyOf(bytes, bytes.length - 1), "");
        }
    }

    @Test
    void anUnknownOrMissingKindIsRefused() {
        assertNotAMessage(smile(fields("t", "hullo", "worker", 1, "pid", 2, "port", 3)), "t = \"hullo\" is unknown");
        assertNotAMessage(smile(fields("t", "Cancel", "task", 1)), "unknown");
        assertNotAMessage(smile(fields("task", 1)), "t is missing");
        assertNotAMessage(smile(fields("t", 3, "task", 1)), "t is the number 3, not a string");
        assertNotAMessage(smile(fields("t", List.of("cancel"), "task", 1)), "t is an array, not a string");
    }

    @Test
    void fieldsOfTheWrongTypeAreRefused() {
        assertNotAMessage(smile(fields("t", "hello", "worker", "1", "pid", 2, "port", 3)),
                "worker is a string, not an int");
        assertNotAMessage(smile(fields("t", "hello", "worker", 1L << 40, "pid", 2, "port", 3)),
                "worker is the number 1099511627776, not an int");
        assertNotAMessage(smile(fields("t", "hello", "worker", 1, "pid", 2.0, "port", 3)),
                "pid is the number 2.0, not a long");
        assertNotAMessage(smile(fields("t", "output", "task", 1, "error", 1, "text", "x")),
                "error is the number 1, not a boolean");
        assertNotAMessage(smile(fields("t", "output", "task", 1, "error", true, "text", new byte[] {'x'})),
                "text is binary, not a string");
        assertNotAMessage(smile(fields("t", "done", "task", 1, "results", "AQID", "failures", List.of())),
                "results is a string, not binary");
        assertNotAMessage(smile(fields("t", "done", "task", 1, "results", new byte[0], "failures", List.of("x"))),
                "failures[0] is a string, not an object");
        assertNotAMessage(smile(fields("t", "done", "task", 1, "results", new byte[0], "failures",
                List.of(fields("element", 1, "kind", "BOGUS", "frames", List.of())))),
                "failures[0].kind is \"BOGUS\", not a FailureKind");
        assertNotAMessage(smile(fields("t", "define-code", "classes", List.of(), "jars", List.of())),
                "classes is an array, not an object");
        assertNotAMessage(smile(fields("t", "define-code", "classes", fields("A", "x"), "jars", List.of())),
                "classes.A is a string, not binary");
        assertNotAMessage(smile(fields("t", "define-code", "classes", fields("A", null), "jars", List.of())),
                "classes.A is null");
        assertNotAMessage(smile(fields("t", "define-code", "classes", fields(), "jars", fields())),
                "jars is an object, not an array");
        assertNotAMessage(smile(fields("t", "run-snippets", "task", 1, "classes", Arrays.asList("A", null),
                "keepValue", true)), "classes[1] is null, not a string");
        assertNotAMessage(smile(fields("t", "set-variables", "variables", List.of(fields("className", "A",
                "field", "x", "value", new byte[0]), List.of()))), "variables[1] is an array, not an object");
        assertNotAMessage(smile(fields("t", "run-chunk", "task", 1, "functionId", 1, "shape", "one_argument",
                "firstElement", 0, "elements", new byte[0])), "shape is \"one_argument\", not a CallShape");
        assertNotAMessage(smile(fields("t", "exit", "status", fields())), "status is an object, not an int");
    }

    @Test
    void damagedMessagesDecodeOrFailWithACodecExceptionAndNeverHang() {
        List<byte[]> originals = samples().stream()
                .filter(s -> !(s.message() instanceof Message.DefineCode || s.message() instanceof Message.RunChunk
                        || s.message() instanceof Message.Done d && d.results().length > 0))
                .map(s -> codec.encode(s.message()))
                .toList();
        Random random = new Random(42);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < 20_000; i++) {
                byte[] damaged = originals.get(random.nextInt(originals.size())).clone();
                for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                    damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
                }
                try {
                    codec.decode(damaged);
                } catch (CodecException expected) {
                    // a refusal is fine; any other exception fails the test
                }
            }
        });
    }

    private void assertNotAMessage(byte[] bytes, String detail) {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            try {
                Message decoded = codec.decode(bytes);
                fail("decoded " + decoded + " from bytes that should be refused (" + detail + ")");
            } catch (CodecException e) {
                assertTrue(e.getMessage().startsWith("not a jparallel message: "), e.getMessage());
                assertTrue(e.getMessage().contains(detail), () -> "\"" + detail + "\" not in: " + e.getMessage());
            }
        });
    }
}
