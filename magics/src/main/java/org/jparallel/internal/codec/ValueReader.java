package org.jparallel.internal.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.jparallel.internal.manager.ProxyReference;
import org.jparallel.internal.shm.Descriptor;
import org.jparallel.internal.shm.Kind;
import org.jparallel.internal.shm.SharedMemory;

import java.io.IOException;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Array;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads what {@link ValueWriter} wrote, resolving classes in the codec's loader. Objects are
 * numbered in the order their tags are read, so that {@link Tag#REF} finds them; plain objects
 * and object arrays are registered before their contents are read, which rebuilds cycles.
 * Each tag's reader consumes the END_ARRAY that closes it. One instance per decoding; not thread-safe.
 */
final class ValueReader {

    private final JsonParser in;
    private final KnownClasses known;
    private final ClassLoader loader;
    private final List<Object> objects = new ArrayList<>();
    private final List<Class<?>> classes = new ArrayList<>();

    ValueReader(JsonParser in, KnownClasses known) {
        this.in = in;
        this.known = known;
        this.loader = known.loader();
    }

    /** Reads a batch written by {@link ValueWriter#writeAll}. */
    List<Object> readAll() throws IOException {
        expect(JsonToken.START_ARRAY);
        if (readInt() != Tag.BATCH) {
            throw malformed("a single value where a batch was expected");
        }
        return readUntilEnd(new ArrayList<>());
    }

    /** Reads the next value. */
    Object read() throws IOException {
        return read(next());
    }

    /** Fails unless the input has ended. */
    void expectEndOfInput() throws IOException {
        JsonToken token = in.nextToken();
        if (token != null) {
            throw malformed("unexpected " + token + " after the value");
        }
    }

    private Object read(JsonToken token) throws IOException {
        switch (token) {
            case VALUE_NULL:
                return null;
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_STRING:
                return in.getText();
            case VALUE_NUMBER_INT:
                switch (in.getNumberType()) {
                    case INT:
                        return in.getIntValue();
                    case BIG_INTEGER:
                        return in.getBigIntegerValue();
                    default:
                        throw malformed("an untagged " + in.getNumberType() + " number");
                }
            case VALUE_NUMBER_FLOAT:
                switch (in.getNumberType()) {
                    case DOUBLE:
                        return in.getDoubleValue();
                    case FLOAT:
                        return in.getFloatValue();
                    default:
                        return in.getDecimalValue();
                }
            case START_ARRAY:
                return readTagged();
            default:
                throw malformed("unexpected " + token);
        }
    }

    private Object readTagged() throws IOException {
        int tag = readInt();
        return switch (tag) {
            case Tag.REF -> closed(reference(readInt()));
            case Tag.LONG -> closed(readLong());
            case Tag.BYTE -> closed((byte) readInt());
            case Tag.SHORT -> closed((short) readInt());
            case Tag.CHAR -> closed((char) readInt());
            case Tag.ENUM -> closed(enumConstant(readClass(), readString()));
            case Tag.CLASS -> closed(readClass());
            case Tag.SHARED -> closed(readShared());
            case Tag.PROXY -> closed(readProxy());
            case Tag.BATCH -> throw malformed("a batch where a single value was expected");
            default -> readObject(tag);
        };
    }

    /** Reads an object with identity, numbered before its contents are read. */
    private Object readObject(int tag) throws IOException {
        int number = objects.size();
        objects.add(null);
        Object value = switch (tag) {
            case Tag.PRIMITIVE_ARRAY -> closed(PrimitiveArrays.fromBytes(readString(), readBinary()));
            case Tag.OBJECT_ARRAY -> readObjectArray(number);
            case Tag.COLLECTION -> readUntilEnd(newCollection(readClass(), null));
            case Tag.SORTED_COLLECTION -> readUntilEnd(newCollection(readClass(), readComparator()));
            case Tag.MAP -> readEntriesUntilEnd(newMap(readClass(), null));
            case Tag.SORTED_MAP -> readEntriesUntilEnd(newMap(readClass(), readComparator()));
            case Tag.IMMUTABLE_LIST -> immutableList(readUntilEnd(new ArrayList<>()));
            case Tag.IMMUTABLE_SET -> Collections.unmodifiableSet(readUntilEnd(new LinkedHashSet<>()));
            case Tag.IMMUTABLE_MAP -> Collections.unmodifiableMap(readEntriesUntilEnd(new LinkedHashMap<>()));
            case Tag.OPTIONAL -> readOptional();
            case Tag.ENTRY -> closed(new AbstractMap.SimpleImmutableEntry<>(read(), read()));
            case Tag.SERIALIZED -> closed(JavaSerialization.read(readBinary(), loader));
            case Tag.RECORD -> closed(readRecord());
            case Tag.OBJECT -> closed(readFields(number));
            case Tag.LAMBDA -> readLambda();
            default -> throw malformed("unknown tag " + tag);
        };
        objects.set(number, value);
        return value;
    }

    private Object reference(int number) {
        if (number < 0 || number >= objects.size() || objects.get(number) == null) {
            throw malformed("a reference to object " + number + ", which has not been read");
        }
        return objects.get(number);
    }

    /**
     * A shared object: its segment mapped here (or this JVM's object for it), never a copy. A queue or pipe
     * decodes its items with this reader's loader.
     */
    private Object readShared() throws IOException {
        int kind = readInt();
        String path = readString();
        int offset = readInt();
        int length = readInt();
        try {
            return SharedMemory.open(new Descriptor(Kind.ofCode(kind), path, offset, length), loader);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new CodecException("cannot decode a shared object: " + e.getMessage(), e);
        }
    }

    /** A manager proxy: a proxy here of the same object on the same server. */
    private Object readProxy() throws IOException {
        ProxyReference ref = new ProxyReference(readInt(), readInt(), readLong(), readInt(), readBinary());
        try {
            return ref.open(loader);
        } catch (IllegalArgumentException e) {
            throw new CodecException("cannot decode a manager proxy: " + e.getMessage(), e);
        }
    }

    private static Object enumConstant(Class<?> type, String name) {
        if (!type.isEnum()) {
            throw new CodecException("cannot decode: " + type.getName() + " is not an enum");
        }
        for (Object constant : type.getEnumConstants()) {
            if (((Enum<?>) constant).name().equals(name)) {
                return constant;
            }
        }
        throw new CodecException("cannot decode: enum " + type.getName() + " has no constant " + name);
    }

    private Object[] readObjectArray(int number) throws IOException {
        Class<?> component = readClass();
        int length = readInt();
        Object[] array = (Object[]) Array.newInstance(component, length);
        objects.set(number, array);
        for (int i = 0; i < length; i++) {
            Object element = read();
            try {
                array[i] = element;
            } catch (ArrayStoreException e) {
                throw new CodecException("cannot decode: a " + component.getName() + "[] cannot hold a "
                        + element.getClass().getName(), e);
            }
        }
        return closed(array);
    }

    private Comparator<?> readComparator() throws IOException {
        Object comparator = read();
        if (comparator != null && !(comparator instanceof Comparator<?>)) {
            throw malformed("a sorted collection whose comparator is a " + comparator.getClass().getName());
        }
        return (Comparator<?>) comparator;
    }

    @SuppressWarnings("unchecked")
    private static Collection<Object> newCollection(Class<?> type, Comparator<?> comparator) {
        if (!Collection.class.isAssignableFrom(type)) {
            throw new CodecException("cannot decode: " + type.getName() + " is not a collection");
        }
        return (Collection<Object>) CollectionForm.instantiate(type, comparator);
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> newMap(Class<?> type, Comparator<?> comparator) {
        if (!Map.class.isAssignableFrom(type)) {
            throw new CodecException("cannot decode: " + type.getName() + " is not a map");
        }
        return (Map<Object, Object>) CollectionForm.instantiate(type, comparator);
    }

    /** An unmodifiable list; {@code List.copyOf} unless there are nulls, which it forbids. */
    private static List<Object> immutableList(List<Object> elements) {
        return elements.contains(null) ? Collections.unmodifiableList(elements) : List.copyOf(elements);
    }

    private <C extends Collection<Object>> C readUntilEnd(C target) throws IOException {
        for (JsonToken token = next(); token != JsonToken.END_ARRAY; token = next()) {
            target.add(read(token));
        }
        return target;
    }

    private <M extends Map<Object, Object>> M readEntriesUntilEnd(M target) throws IOException {
        for (JsonToken token = next(); token != JsonToken.END_ARRAY; token = next()) {
            Object key = read(token);
            target.put(key, read());
        }
        return target;
    }

    private Optional<?> readOptional() throws IOException {
        JsonToken token = next();
        if (token == JsonToken.END_ARRAY) {
            return Optional.empty();
        }
        return closed(Optional.ofNullable(read(token)));
    }

    private Object readRecord() throws IOException {
        Class<?> type = readClass();
        RecordShape shape = type.isRecord() ? Classifier.plan(type).record() : null;
        if (shape == null) {
            throw new CodecException("cannot decode: " + type.getName() + " is not a record of the unnamed module");
        }
        Object[] arguments = shape.emptyArguments();
        expect(JsonToken.START_OBJECT);
        for (String component = in.nextFieldName(); component != null; component = in.nextFieldName()) {
            arguments[shape.indexOf(component)] = read();
        }
        expectCurrent(JsonToken.END_OBJECT);
        return shape.build(arguments);
    }

    private Object readFields(int number) throws IOException {
        Class<?> type = readClass();
        FieldShape shape = Classifier.plan(type).fields();
        if (shape == null) {
            throw new CodecException("cannot decode: " + type.getName() + " is not a plain class whose fields can be set");
        }
        Object instance = shape.allocate();
        objects.set(number, instance);
        expect(JsonToken.START_OBJECT);
        for (String field = in.nextFieldName(); field != null; field = in.nextFieldName()) {
            shape.write(instance, field, read());
        }
        expectCurrent(JsonToken.END_OBJECT);
        return instance;
    }

    private Object readLambda() throws IOException {
        Class<?> capturingClass = readClass();
        String functionalInterface = readString();
        String interfaceMethod = readString();
        String interfaceSignature = readString();
        int implKind = readInt();
        String implClass = readString();
        String implMethod = readString();
        String implSignature = readString();
        String instantiatedType = readString();
        Object[] captured = readUntilEnd(new ArrayList<>()).toArray();
        return LambdaForm.rebuild(capturingClass, new SerializedLambda(capturingClass, functionalInterface,
                interfaceMethod, interfaceSignature, implKind, implClass, implMethod, implSignature,
                instantiatedType, captured));
    }

    /** A class given by name on its first occurrence in this encoding, by number afterwards. */
    private Class<?> readClass() throws IOException {
        JsonToken token = next();
        if (token == JsonToken.VALUE_STRING) {
            Class<?> type = known.resolve(in.getText());
            classes.add(type);
            return type;
        }
        if (token != JsonToken.VALUE_NUMBER_INT || in.getIntValue() < 0 || in.getIntValue() >= classes.size()) {
            throw malformed("a class reference that is neither a name nor a known number");
        }
        return classes.get(in.getIntValue());
    }

    private int readInt() throws IOException {
        expect(JsonToken.VALUE_NUMBER_INT);
        return in.getIntValue();
    }

    private long readLong() throws IOException {
        expect(JsonToken.VALUE_NUMBER_INT);
        return in.getLongValue();
    }

    private String readString() throws IOException {
        expect(JsonToken.VALUE_STRING);
        return in.getText();
    }

    private byte[] readBinary() throws IOException {
        expect(JsonToken.VALUE_EMBEDDED_OBJECT);
        return in.getBinaryValue();
    }

    /** {@code value}, after reading the END_ARRAY that closes its tag. */
    private <T> T closed(T value) throws IOException {
        expect(JsonToken.END_ARRAY);
        return value;
    }

    private JsonToken next() throws IOException {
        JsonToken token = in.nextToken();
        if (token == null) {
            throw malformed("the input ends in the middle of a value");
        }
        return token;
    }

    private void expect(JsonToken expected) throws IOException {
        next();
        expectCurrent(expected);
    }

    private void expectCurrent(JsonToken expected) {
        if (in.currentToken() != expected) {
            throw malformed("expected " + expected + " but found " + in.currentToken());
        }
    }

    private static CodecException malformed(String problem) {
        return new CodecException("malformed value bytes: " + problem);
    }
}
