package org.jparallel.internal.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.smile.SmileFactory;
import com.fasterxml.jackson.dataformat.smile.SmileGenerator;
import org.jparallel.internal.codec.CodecException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Encodes {@link Message}s as Smile (binary JSON) objects tagged with their kind in field {@code "t"}
 * ({@code docs/wire-protocol.md}, section "Messages").
 *
 * <p>Each message is one object: {@code "t"} first, then one field per record component, named like it.
 * Nested records ({@code Failure}, {@code Frame}, {@code Variable}, {@code Jar}) are objects, lists are arrays, maps
 * are objects, enums are their constant names and {@code byte[]} is raw Smile binary. The codec is
 * written by hand on Jackson's streaming API, so neither side loads Jackson databind: a worker's
 * first message stays cheap.
 *
 * <p>Decoding ignores fields it does not know, so a newer peer may add some. A field may be absent or
 * null only where the record allows null: a failure's {@code exceptionClass}, {@code message} and
 * {@code cause}, a frame's {@code file} and a run-chunk's {@code function}; a done's {@code ranNanos} and
 * {@code endNanos} may be absent (an older worker), and read as 0. Lists and maps decode as
 * unmodifiable ones; maps keep the sender's order.
 *
 * <p>Thread-safe. Encoding writes a message as it is, nulls included (the receiver refuses a null
 * where none is allowed). Decoding bytes that are not a message fails with {@link CodecException},
 * never with another exception.
 */
public final class MessageCodec {

    /**
     * No limit on the length of a string: a message comes from an authenticated peer in a frame the wire
     * has already bounded, and Jackson's default (20 M characters) refused a task's exception with a long
     * message, whose task then waited for ever for its answer.
     */
    private static final SmileFactory SMILE = SmileFactory.builder()
            .disable(SmileGenerator.Feature.ENCODE_BINARY_AS_7BIT)
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
            .build();

    /** Writes a value, or the fields of an object. */
    private interface Writer<T> {
        void write(JsonGenerator out, T value) throws IOException;
    }

    /** The bytes of a message. */
    public byte[] encode(Message message) {
        ByteBuffer[] parts = encodeParts(message);
        ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(size(parts)));
        for (ByteBuffer part : parts) {
            bytes.put(part.duplicate());
        }
        return bytes.array();
    }

    /**
     * The bytes of a message as consecutive parts, to be written one after the other (a gathering write): the
     * same bytes as {@link #encode}, but a large binary field (a chunk's elements, a task's results) is a part
     * of its own, the caller's array itself, not copied through Smile's buffer into a growing stream and out of
     * it (three copies of a 12.5 MB chunk, and two arrays of its size to collect).
     */
    public ByteBuffer[] encodeParts(Message message) {
        PartsOutput bytes = new PartsOutput();
        try (JsonGenerator out = SMILE.createGenerator(bytes)) {
            out.writeStartObject();
            writeFields(out, message, bytes);
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + message.getClass().getSimpleName(), e);
        }
        return bytes.parts();
    }

    /** The number of bytes in {@code parts}. */
    public static long size(ByteBuffer[] parts) {
        long size = 0;
        for (ByteBuffer part : parts) {
            size += part.remaining();
        }
        return size;
    }

    /**
     * Where the generator writes, with the large binary values cut out: each is written by the generator as an
     * empty one (its token and length 0), whose length this output then replaces by the real one, followed by
     * the value's array as a part of its own.
     */
    private static final class PartsOutput extends ByteArrayOutputStream {
        /** Binary values at least this large go as parts of their own. */
        private static final int LARGE_BYTES = 64 * 1024;
        private final List<Integer> cuts = new ArrayList<>();
        private final List<byte[]> values = new ArrayList<>();

        PartsOutput() {
            super(128);
        }

        /** Writes {@code value} as a Smile binary value through {@code out}. */
        void writeBinary(JsonGenerator out, byte[] value) throws IOException {
            if (value.length < LARGE_BYTES) {
                out.writeBinary(value);
                return;
            }
            out.writeBinary(EMPTY);
            out.flush();
            if (count < 2 || buf[count - 2] != RAW_BINARY || buf[count - 1] != (byte) 0x80) {
                throw new IllegalStateException("Smile wrote an empty binary value in an unexpected form");
            }
            count--; // the length, written with the value's part
            cuts.add(count);
            values.add(value);
        }

        ByteBuffer[] parts() {
            List<ByteBuffer> parts = new ArrayList<>(1 + 3 * values.size());
            int from = 0;
            for (int i = 0; i < values.size(); i++) {
                parts.add(ByteBuffer.wrap(buf, from, cuts.get(i) - from));
                parts.add(ByteBuffer.wrap(smileLength(values.get(i).length)));
                parts.add(ByteBuffer.wrap(values.get(i)));
                from = cuts.get(i);
            }
            parts.add(ByteBuffer.wrap(buf, from, count - from));
            return parts.toArray(ByteBuffer[]::new);
        }

        /**
         * A length as Smile writes it after a raw binary token: 7 bits a byte, high bits first, the last byte
         * holding the low 6 bits with its top bit set.
         */
        private static byte[] smileLength(int length) {
            int high = length >>> 6;
            int bytes = 1;
            for (int rest = high; rest != 0; rest >>>= 7) {
                bytes++;
            }
            byte[] vint = new byte[bytes];
            vint[bytes - 1] = (byte) (0x80 | (length & 0x3F));
            for (int i = bytes - 2; i >= 0; i--, high >>>= 7) {
                vint[i] = (byte) (high & 0x7F);
            }
            return vint;
        }
    }

    private static final byte[] EMPTY = new byte[0];
    /** Smile's token for a raw (not 7-bit encoded) binary value. */
    private static final byte RAW_BINARY = (byte) 0xFD;

    /**
     * The message these bytes hold.
     *
     * @throws CodecException if the bytes are not one Smile object holding a message of a known kind
     *     with every field it needs
     */
    public Message decode(byte[] bytes) {
        return decode(bytes, bytes.length);
    }

    /**
     * The message held by the first {@code length} bytes of {@code bytes}. The message shares nothing with the
     * array (its binary fields and strings are copies), so the array may be reused for the next frame.
     *
     * @throws CodecException as {@link #decode(byte[])}
     */
    public Message decode(byte[] bytes, int length) {
        try (JsonParser in = SMILE.createParser(bytes, 0, length)) {
            if (in.nextToken() != JsonToken.START_OBJECT) {
                throw MessageFields.notAMessage("it is not a Smile object");
            }
            MessageFields fields = MessageFields.read(in);
            // the parser ends a document with null, also when another one follows after a Smile header
            if (in.nextToken() != null || in.nextToken() != null) {
                throw MessageFields.notAMessage("more bytes follow it");
            }
            return message(fields);
        } catch (CodecException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new CodecException("not a jparallel message: " + e.getMessage(), e);
        }
    }

    private static void writeFields(JsonGenerator out, Message message, PartsOutput parts) throws IOException {
        if (message instanceof Message.Hello m) {
            out.writeStringField("t", "hello");
            out.writeNumberField("worker", m.worker());
            out.writeNumberField("pid", m.pid());
        } else if (message instanceof Message.Output m) {
            out.writeStringField("t", "output");
            out.writeNumberField("task", m.task());
            out.writeBooleanField("error", m.error());
            out.writeStringField("text", m.text());
        } else if (message instanceof Message.Done m) {
            out.writeStringField("t", "done");
            out.writeNumberField("task", m.task());
            writeBinaryField(out, "results", m.results(), parts);
            writeArrayField(out, "failures", m.failures(), MessageCodec::writeFailure);
            out.writeNumberField("ranNanos", m.ranNanos());
            out.writeNumberField("endNanos", m.endNanos());
        } else if (message instanceof Message.DefineCode m) {
            out.writeStringField("t", "define-code");
            writeBinariesField(out, "classes", m.classes());
            writeArrayField(out, "jars", m.jars(), MessageCodec::writeJar);
        } else if (message instanceof Message.SetVariables m) {
            out.writeStringField("t", "set-variables");
            writeArrayField(out, "variables", m.variables(), MessageCodec::writeVariable);
        } else if (message instanceof Message.RunSnippets m) {
            out.writeStringField("t", "run-snippets");
            out.writeNumberField("task", m.task());
            writeArrayField(out, "classes", m.classes(), JsonGenerator::writeString);
            out.writeBooleanField("keepValue", m.keepValue());
        } else if (message instanceof Message.RunChunk m) {
            out.writeStringField("t", "run-chunk");
            out.writeNumberField("task", m.task());
            out.writeNumberField("functionId", m.functionId());
            writeBinaryField(out, "function", m.function());
            out.writeStringField("shape", nameOf(m.shape()));
            out.writeNumberField("firstElement", m.firstElement());
            writeBinaryField(out, "elements", m.elements(), parts);
        } else if (message instanceof Message.Cancel m) {
            out.writeStringField("t", "cancel");
            out.writeNumberField("task", m.task());
        } else if (message instanceof Message.Exit m) {
            out.writeStringField("t", "exit");
            out.writeNumberField("status", m.status());
        } else if (message instanceof Message.Heartbeat m) {
            out.writeStringField("t", "heartbeat");
            out.writeNumberField("cpuNanos", m.cpuNanos());
            out.writeNumberField("rssBytes", m.rssBytes());
        } else if (message instanceof Message.Progress m) {
            out.writeStringField("t", "progress");
            out.writeNumberField("task", m.task());
            out.writeNumberField("elementsDone", m.elementsDone());
        } else if (message instanceof Message.FetchJar m) {
            out.writeStringField("t", "fetch-jar");
            out.writeStringField("sha256", m.sha256());
            out.writeNumberField("offset", m.offset());
        } else if (message instanceof Message.JarPart m) {
            out.writeStringField("t", "jar-part");
            out.writeStringField("sha256", m.sha256());
            out.writeNumberField("offset", m.offset());
            writeBinaryField(out, "bytes", m.bytes(), parts);
            out.writeBooleanField("last", m.last());
        } else if (message instanceof Message.JarRefused m) {
            out.writeStringField("t", "jar-refused");
            out.writeStringField("sha256", m.sha256());
            out.writeStringField("reason", m.reason());
        } else {
            throw new IllegalArgumentException("not a known message: " + message);
        }
    }

    private static void writeFailure(JsonGenerator out, Message.Failure failure) throws IOException {
        writeObject(out, failure, (o, f) -> {
            o.writeNumberField("element", f.element());
            o.writeStringField("kind", nameOf(f.kind()));
            o.writeStringField("exceptionClass", f.exceptionClass());
            o.writeStringField("message", f.message());
            writeArrayField(o, "frames", f.frames(), MessageCodec::writeFrame);
            o.writeFieldName("cause");
            writeFailure(o, f.cause());
        });
    }

    private static void writeFrame(JsonGenerator out, Message.Frame frame) throws IOException {
        writeObject(out, frame, (o, f) -> {
            o.writeStringField("className", f.className());
            o.writeStringField("method", f.method());
            o.writeStringField("file", f.file());
            o.writeNumberField("line", f.line());
        });
    }

    private static void writeJar(JsonGenerator out, Message.Jar jar) throws IOException {
        writeObject(out, jar, (o, j) -> {
            o.writeStringField("name", j.name());
            o.writeStringField("sha256", j.sha256());
            o.writeNumberField("size", j.size());
        });
    }

    private static void writeVariable(JsonGenerator out, Message.Variable variable) throws IOException {
        writeObject(out, variable, (o, v) -> {
            o.writeStringField("className", v.className());
            o.writeStringField("field", v.field());
            writeBinaryField(o, "value", v.value());
        });
    }

    /** A nested record as an object whose fields {@code fields} writes, or null. */
    private static <T> void writeObject(JsonGenerator out, T record, Writer<T> fields) throws IOException {
        if (record == null) {
            out.writeNull();
            return;
        }
        out.writeStartObject();
        fields.write(out, record);
        out.writeEndObject();
    }

    private static <T> void writeArrayField(JsonGenerator out, String name, List<T> items,
                                            Writer<? super T> element) throws IOException {
        out.writeFieldName(name);
        if (items == null) {
            out.writeNull();
            return;
        }
        out.writeStartArray();
        for (T item : items) {
            element.write(out, item);
        }
        out.writeEndArray();
    }

    private static void writeBinariesField(JsonGenerator out, String name, Map<String, byte[]> binaries)
            throws IOException {
        out.writeFieldName(name);
        if (binaries == null) {
            out.writeNull();
            return;
        }
        out.writeStartObject();
        for (Map.Entry<String, byte[]> entry : binaries.entrySet()) {
            writeBinaryField(out, entry.getKey(), entry.getValue());
        }
        out.writeEndObject();
    }

    private static void writeBinaryField(JsonGenerator out, String name, byte[] bytes) throws IOException {
        writeBinaryField(out, name, bytes, null);
    }

    /** A binary field whose value, if large, becomes a part of its own in {@code parts} (unless that is null). */
    private static void writeBinaryField(JsonGenerator out, String name, byte[] bytes, PartsOutput parts)
            throws IOException {
        out.writeFieldName(name);
        if (bytes == null) {
            out.writeNull();
        } else if (parts == null) {
            out.writeBinary(bytes);
        } else {
            parts.writeBinary(out, bytes);
        }
    }

    private static String nameOf(Enum<?> constant) {
        return constant == null ? null : constant.name();
    }

    private static Message message(MessageFields f) {
        String kind = f.string("t");
        return switch (kind) {
            case "hello" -> new Message.Hello(f.intValue("worker"), f.longValue("pid"));
            case "output" -> new Message.Output(f.longValue("task"), f.booleanValue("error"), f.string("text"));
            case "done" -> new Message.Done(f.longValue("task"), f.bytes("results"),
                    f.objects("failures", MessageCodec::failure), f.longOrZero("ranNanos"),
                    f.longOrZero("endNanos"));
            case "define-code" -> new Message.DefineCode(f.binaries("classes"), f.objects("jars", MessageCodec::jar));
            case "set-variables" -> new Message.SetVariables(f.objects("variables", MessageCodec::variable));
            case "run-snippets" -> new Message.RunSnippets(f.longValue("task"), f.strings("classes"),
                    f.booleanValue("keepValue"));
            case "run-chunk" -> new Message.RunChunk(f.longValue("task"), f.longValue("functionId"),
                    f.bytesOrNull("function"), f.constant("shape", Message.CallShape.class),
                    f.longValue("firstElement"), f.bytes("elements"));
            case "cancel" -> new Message.Cancel(f.longValue("task"));
            case "exit" -> new Message.Exit(f.intValue("status"));
            case "heartbeat" -> new Message.Heartbeat(f.longValue("cpuNanos"), f.longValue("rssBytes"));
            case "progress" -> new Message.Progress(f.longValue("task"), f.longValue("elementsDone"));
            case "fetch-jar" -> new Message.FetchJar(f.string("sha256"), f.longValue("offset"));
            case "jar-part" -> new Message.JarPart(f.string("sha256"), f.longValue("offset"), f.bytes("bytes"),
                    f.booleanValue("last"));
            case "jar-refused" -> new Message.JarRefused(f.string("sha256"), f.string("reason"));
            default -> throw MessageFields.notAMessage("its kind t = \"" + kind + "\" is unknown");
        };
    }

    private static Message.Failure failure(MessageFields f) {
        return new Message.Failure(f.longValue("element"), f.constant("kind", Message.FailureKind.class),
                f.stringOrNull("exceptionClass"), f.stringOrNull("message"),
                f.objects("frames", MessageCodec::frame), f.objectOrNull("cause", MessageCodec::failure));
    }

    private static Message.Frame frame(MessageFields f) {
        return new Message.Frame(f.string("className"), f.string("method"), f.stringOrNull("file"),
                f.intValue("line"));
    }

    private static Message.Jar jar(MessageFields f) {
        return new Message.Jar(f.string("name"), f.string("sha256"), f.longValue("size"));
    }

    private static Message.Variable variable(MessageFields f) {
        return new Message.Variable(f.string("className"), f.string("field"), f.bytes("value"));
    }
}
