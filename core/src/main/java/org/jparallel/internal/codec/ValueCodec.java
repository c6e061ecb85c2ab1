package org.jparallel.internal.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.dataformat.smile.SmileFactory;
import com.fasterxml.jackson.dataformat.smile.SmileGenerator;
import org.jparallel.api.NotSendableException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;

/**
 * Turns sendable object graphs into bytes and back, for values shipped between the kernel and
 * worker JVMs. The format is Smile with the codec's own type tags ({@code docs/wire-protocol.md},
 * section "Values"), or for the commonest values a {@link CompactForm} of raw bytes: primitives and their boxes keep their exact type, collections and maps
 * their class where possible, records and plain classes are taken apart and rebuilt, serializable
 * lambdas are recreated from their description, shared references stay shared.
 *
 * <p>Encoding refuses, before anything is sent, what cannot work in another JVM (threads,
 * streams, locks, non-serializable lambdas, ...) with a {@link NotSendableException} that says
 * where and why. Thread-safe.
 */
public final class ValueCodec {

    private static final SmileFactory SMILE = SmileFactory.builder()
            .disable(SmileGenerator.Feature.ENCODE_BINARY_AS_7BIT)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(Integer.MAX_VALUE)
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxNumberLength(Integer.MAX_VALUE)
                    .build())
            .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(Integer.MAX_VALUE).build())
            .build();

    private final KnownClasses known;
    private final ReferenceTypes references;
    /** A receiver on another host that values encoded here may reach, or null if all share this host's memory. */
    private final String remoteReceiver;

    /**
     * A codec that decodes classes by name in {@code loader} (in a worker, the loader that holds
     * the notebook's snippet classes) and references by the {@linkplain ReferenceTypes#installed() installed}
     * reference types.
     */
    public ValueCodec(ClassLoader loader) {
        this(loader, ReferenceTypes.installed());
    }

    /** A codec that decodes classes by name in {@code loader} and references by {@code references}. */
    public ValueCodec(ClassLoader loader, ReferenceTypes references) {
        this(new KnownClasses(loader), references, null);
    }

    /** Whether values encoded here may reach a receiver on another host (see {@link #reaching}). */
    public boolean reachesAnotherHost() {
        return remoteReceiver != null;
    }

    private ValueCodec(KnownClasses known, ReferenceTypes references, String remoteReceiver) {
        this.known = known;
        this.references = references;
        this.remoteReceiver = remoteReceiver;
    }

    /**
     * This codec, encoding for receivers among which one is on another host: {@code receiver}, e.g.
     * {@code worker 3 on host alpha}, or null for receivers that all share this host's memory. A reference
     * to this host's memory then refuses to be sent ({@link ReferenceOutput#remoteReceiver()}).
     */
    public ValueCodec reaching(String receiver) {
        return Objects.equals(receiver, remoteReceiver) ? this
                : new ValueCodec(known, references, receiver);
    }

    /**
     * The bytes of {@code value} and everything it refers to.
     *
     * @param name what the value is called in error messages, e.g. {@code cfg}, {@code result}
     * @throws NotSendableException if some part of the value cannot be sent
     */
    public byte[] encode(Object value, String name) throws NotSendableException {
        byte[] compact = CompactForm.encode(value);
        if (compact != null) {
            return compact;
        }
        if (value != null && LambdaForm.capturesNothing(value.getClass())) {
            return LambdaForm.encodedOnce(value.getClass(), () -> encodeWith(64, writer -> writer.write(value), name, value));
        }
        return encodeWith(64, writer -> writer.write(value), name, value);
    }

    /**
     * The bytes of a batch of values, e.g. a chunk of elements or results. References shared
     * between the values stay shared.
     *
     * @param name what the batch is called in error messages; element {@code i} is {@code name[i]}
     * @throws NotSendableException if some part of some value cannot be sent
     */
    public byte[] encodeAll(List<?> values, String name) throws NotSendableException {
        return encodeAll(values, name, 0);
    }

    /**
     * {@link #encodeAll(List, String)} for a chunk of a longer input that starts at {@code firstIndex}:
     * paths count from the start of the input, so element {@code i} is {@code name[firstIndex + i]}.
     */
    public byte[] encodeAll(List<?> values, String name, long firstIndex) throws NotSendableException {
        byte[] compact = CompactForm.encodeAll(values);
        return compact != null ? compact : encodeWith(16 + 8 * values.size(), writer -> writer.writeAll(values, firstIndex), name, values);
    }

    /**
     * The value encoded in {@code bytes} by {@link #encode}.
     *
     * @throws CodecException if the bytes are malformed or a class cannot be found or built
     */
    public Object decode(byte[] bytes) {
        return CompactForm.isCompact(bytes) ? CompactForm.decode(bytes) : decodeWith(bytes, ValueReader::read);
    }

    /**
     * Whether {@code bytes} decode without running any class's code: a compact form (null, booleans, boxed
     * numbers, strings, and batches of them), whose decoding takes time in proportion to its length.
     */
    public static boolean isPlainData(byte[] bytes) {
        return CompactForm.isCompact(bytes);
    }

    /**
     * The values encoded in {@code bytes} by {@link #encodeAll}, in order.
     *
     * @throws CodecException if the bytes are malformed or a class cannot be found or built
     */
    public List<Object> decodeAll(byte[] bytes) {
        return CompactForm.isCompact(bytes) ? CompactForm.decodeAll(bytes) : decodeWith(bytes, ValueReader::readAll);
    }

    private interface Writing {
        void writeTo(ValueWriter writer) throws IOException, NotSendableException;
    }

    private interface Reading<T> {
        T readFrom(ValueReader reader) throws IOException;
    }

    private byte[] encodeWith(int expectedSize, Writing writing, String name, Object root)
            throws NotSendableException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(expectedSize);
        try (JsonGenerator out = SMILE.createGenerator(bytes)) {
            writing.writeTo(new ValueWriter(out, name, root, remoteReceiver));
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory failed", e);
        }
        return bytes.toByteArray();
    }

    /**
     * Decodes with {@code reading}. Whatever fails is a {@link CodecException}, whichever code failed: decoding
     * runs the receiver's user code (record constructors, {@code hashCode}, comparators, {@code readObject} of
     * serialized values), and a hostile or huge value may exhaust the stack or the heap; the caller's thread
     * (in the kernel, the wire's) must outlive all of it.
     */
    private <T> T decodeWith(byte[] bytes, Reading<T> reading) {
        try (JsonParser in = SMILE.createParser(bytes)) {
            ValueReader reader = new ValueReader(in, known, references, bytes.length);
            T value = reading.readFrom(reader);
            reader.expectEndOfInput();
            return value;
        } catch (IOException e) {
            throw new CodecException("malformed value bytes: " + e.getMessage(), e);
        } catch (CodecException e) {
            throw e;
        } catch (OutOfMemoryError e) {
            throw new CodecException("cannot decode: the value does not fit in this JVM's memory (" + e + ")", e);
        } catch (RuntimeException | Error e) {
            throw new CodecException("cannot decode: " + e, e);
        }
    }
}
