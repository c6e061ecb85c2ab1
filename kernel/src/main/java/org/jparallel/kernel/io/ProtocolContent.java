package org.jparallel.kernel.io;

import org.dflib.jjava.jupyter.messages.ContentType;
import org.dflib.jjava.jupyter.messages.MessageType;

import java.util.LinkedHashMap;

/**
 * Message content written field by field, exactly as the Jupyter protocol spells it. Used where
 * jjava-jupyter's own reply classes leave out fields the protocol requires ({@code status}) or
 * serialize them in another shape (history tuples, user expressions).
 */
public final class ProtocolContent extends LinkedHashMap<String, Object> implements ContentType<ProtocolContent> {

    private final transient MessageType<?> type;

    private ProtocolContent(MessageType<?> type) {
        this.type = type;
    }

    /** Content of the given reply type with {@code status: ok}. */
    public static ProtocolContent ok(MessageType<?> type) {
        return new ProtocolContent(type).with("status", "ok");
    }

    /** Content of the given reply type with {@code status: aborted}. */
    public static ProtocolContent aborted(MessageType<?> type) {
        return new ProtocolContent(type).with("status", "aborted");
    }

    /** Adds a field. */
    public ProtocolContent with(String field, Object value) {
        put(field, value);
        return this;
    }

    @Override
    @SuppressWarnings("unchecked")
    public MessageType<ProtocolContent> getType() {
        return (MessageType<ProtocolContent>) type;
    }
}
