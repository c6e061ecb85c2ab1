package org.jparallel.internal.codec;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.smile.SmileFactory;
import com.fasterxml.jackson.dataformat.smile.SmileGenerator;
import org.jparallel.internal.wire.Message;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Encodes {@link Message}s as Smile (binary JSON) objects tagged with their kind in field {@code "t"}.
 *
 * <p>Thread-safe. Bytes that are not a message fail with {@link CodecException}.
 */
public final class MessageCodec {

    private final ObjectWriter writer;
    private final ObjectReader reader;

    public MessageCodec() {
        SmileFactory smile = SmileFactory.builder()
                .disable(SmileGenerator.Feature.ENCODE_BINARY_AS_7BIT)
                .build();
        ObjectMapper mapper = new ObjectMapper(smile)
                .addMixIn(Message.class, Tagged.class)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        this.writer = mapper.writerFor(Message.class);
        this.reader = mapper.readerFor(Message.class);
    }

    /** The bytes of a message. */
    public byte[] encode(Message message) {
        try {
            return writer.writeValueAsBytes(message);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + message.getClass().getSimpleName(), e);
        }
    }

    /** The message these bytes hold. */
    public Message decode(byte[] bytes) {
        try {
            return reader.readValue(bytes);
        } catch (IOException e) {
            throw new CodecException("not a jparallel message: " + e.getMessage(), e);
        }
    }

    /** Type information for the sealed message family, kept out of the wire package. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "t")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = Message.Hello.class, name = "hello"),
            @JsonSubTypes.Type(value = Message.Output.class, name = "output"),
            @JsonSubTypes.Type(value = Message.Done.class, name = "done"),
            @JsonSubTypes.Type(value = Message.DefineCode.class, name = "define-code"),
            @JsonSubTypes.Type(value = Message.SetVariables.class, name = "set-variables"),
            @JsonSubTypes.Type(value = Message.RunSnippets.class, name = "run-snippets"),
            @JsonSubTypes.Type(value = Message.RunChunk.class, name = "run-chunk"),
            @JsonSubTypes.Type(value = Message.Cancel.class, name = "cancel"),
            @JsonSubTypes.Type(value = Message.Exit.class, name = "exit"),
    })
    private interface Tagged {
    }
}
