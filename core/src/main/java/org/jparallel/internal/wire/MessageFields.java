package org.jparallel.internal.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.jparallel.internal.codec.CodecException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The fields of one Smile object of a message, read whole, with getters that check each field's type
 * and fail with a {@link CodecException} that names the field. Values are kept as the parser gives
 * them: strings, numbers, booleans, {@code byte[]}, lists, nested {@code MessageFields} and nulls.
 */
final class MessageFields {

    /** Builds a record from the fields of a nested object. */
    interface Builder<T> {
        T build(MessageFields fields);
    }

    /** The object holding this one, null for the message itself. */
    private final MessageFields parent;
    /** The field of {@code parent} that holds this object. */
    private final String field;
    /** The index of this object in that field's array, or -1. */
    private final int index;
    private final Map<String, Object> values = new LinkedHashMap<>();

    private MessageFields(MessageFields parent, String field, int index) {
        this.parent = parent;
        this.field = field;
        this.index = index;
    }

    /** Reads the object whose start the parser is at, up to and including its end. */
    static MessageFields read(JsonParser in) throws IOException {
        return readObject(in, null, null, -1);
    }

    /** A decoding failure of bytes that are not a message. */
    static CodecException notAMessage(String problem) {
        return new CodecException("not a jparallel message: " + problem);
    }

    private static MessageFields readObject(JsonParser in, MessageFields parent, String field, int index)
            throws IOException {
        MessageFields fields = new MessageFields(parent, field, index);
        for (String name = in.nextFieldName(); name != null; name = in.nextFieldName()) {
            in.nextToken();
            fields.values.put(name, readValue(in, fields, name, -1));
        }
        return fields;
    }

    private static Object readValue(JsonParser in, MessageFields parent, String field, int index)
            throws IOException {
        JsonToken token = in.currentToken();
        if (token == null) {
            throw notAMessage("it ends inside " + parent.pathOf(field));
        }
        return switch (token) {
            case VALUE_STRING -> in.getText();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> in.getNumberValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            case VALUE_EMBEDDED_OBJECT -> in.getBinaryValue();
            case START_OBJECT -> readObject(in, parent, field, index);
            case START_ARRAY -> {
                List<Object> items = new ArrayList<>();
                while (in.nextToken() != JsonToken.END_ARRAY) {
                    items.add(readValue(in, parent, field, items.size()));
                }
                yield items;
            }
            default -> throw notAMessage("unexpected " + token + " in " + parent.pathOf(field));
        };
    }

    /** A required int. */
    int intValue(String name) {
        return (int) integer(name, Integer.MIN_VALUE, Integer.MAX_VALUE, "an int");
    }

    /** A required long. */
    long longValue(String name) {
        return integer(name, Long.MIN_VALUE, Long.MAX_VALUE, "a long");
    }

    /** A long, or 0 if the field is absent. */
    long longOrZero(String name) {
        return values.containsKey(name) ? longValue(name) : 0;
    }

    /** A required boolean. */
    boolean booleanValue(String name) {
        return typed(name, Boolean.class, "a boolean", required(name));
    }

    /** A required string. */
    String string(String name) {
        return typed(name, String.class, "a string", required(name));
    }

    /** A string, or null if the field is null or absent. */
    String stringOrNull(String name) {
        return typed(name, String.class, "a string", values.get(name));
    }

    /** Required binary. */
    byte[] bytes(String name) {
        return typed(name, byte[].class, "binary", required(name));
    }

    /** Binary, or null if the field is null or absent. */
    byte[] bytesOrNull(String name) {
        return typed(name, byte[].class, "binary", values.get(name));
    }

    /** A required enum constant, sent by name. */
    <E extends Enum<E>> E constant(String name, Class<E> type) {
        String constant = string(name);
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(constant)) {
                return e;
            }
        }
        throw notAMessage(pathOf(name) + " is \"" + constant + "\", not a " + type.getSimpleName());
    }

    /** A nested object built by {@code builder}, or null if the field is null or absent. */
    <T> T objectOrNull(String name, Builder<T> builder) {
        MessageFields object = typed(name, MessageFields.class, "an object", values.get(name));
        return object == null ? null : builder.build(object);
    }

    /** A required array of strings, none null. */
    List<String> strings(String name) {
        return list(name, "a string", item -> item instanceof String s ? s : null);
    }

    /** A required array of objects, none null, each built by {@code builder}. */
    <T> List<T> objects(String name, Builder<T> builder) {
        return list(name, "an object", item -> item instanceof MessageFields f ? builder.build(f) : null);
    }

    /** A required object whose fields are all binary: a map in the sender's order. */
    Map<String, byte[]> binaries(String name) {
        MessageFields object = typed(name, MessageFields.class, "an object", required(name));
        Map<String, byte[]> binaries = new LinkedHashMap<>();
        for (String key : object.values.keySet()) {
            binaries.put(key, object.bytes(key));
        }
        return Collections.unmodifiableMap(binaries);
    }

    /** Items converted one by one; {@code convert} gives null for an item of the wrong type. */
    private <T> List<T> list(String name, String expected, Function<Object, T> convert) {
        List<?> items = typed(name, List.class, "an array", required(name));
        List<T> list = new ArrayList<>(items.size());
        for (Object item : items) {
            T converted = convert.apply(item);
            if (converted == null) {
                throw wrongType(name + "[" + list.size() + "]", item, expected);
            }
            list.add(converted);
        }
        return Collections.unmodifiableList(list);
    }

    /** Smile sends a long that fits in an int as an int, and one that does not as a long. */
    private long integer(String name, long min, long max, String expected) {
        Object value = required(name);
        if (value instanceof Integer || value instanceof Long) {
            long integer = ((Number) value).longValue();
            if (integer >= min && integer <= max) {
                return integer;
            }
        }
        throw wrongType(name, value, expected);
    }

    private Object required(String name) {
        Object value = values.get(name);
        if (value == null) {
            throw notAMessage(pathOf(name) + (values.containsKey(name) ? " is null" : " is missing"));
        }
        return value;
    }

    /** {@code value} as a {@code type}, null stays null. */
    private <T> T typed(String name, Class<T> type, String expected, Object value) {
        if (value == null || type.isInstance(value)) {
            return type.cast(value);
        }
        throw wrongType(name, value, expected);
    }

    private CodecException wrongType(String name, Object value, String expected) {
        return notAMessage(pathOf(name) + " is " + describe(value) + ", not " + expected);
    }

    /** The path of a field of this object, e.g. {@code failures[0].cause.kind}. */
    private String pathOf(String name) {
        if (parent == null) {
            return name;
        }
        String here = parent.pathOf(field) + (index < 0 ? "" : "[" + index + "]");
        return here + "." + name;
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        } else if (value instanceof String) {
            return "a string";
        } else if (value instanceof Boolean) {
            return "a boolean";
        } else if (value instanceof Number n) {
            return "the number " + n;
        } else if (value instanceof byte[]) {
            return "binary";
        } else if (value instanceof List) {
            return "an array";
        }
        return "an object";
    }
}
