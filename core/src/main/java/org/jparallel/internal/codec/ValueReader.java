package org.jparallel.internal.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Array;
import java.util.AbstractMap;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Reads what {@link ValueWriter} wrote, resolving classes in the codec's loader. Objects are
 * numbered in the order their tags are read, so that {@link Tag#REF} finds them; plain objects
 * and object arrays are registered before their contents are read, which rebuilds cycles.
 * Like the writer, the reader keeps its own work stack of {@link Frame}s instead of recursing, so
 * the depth of a value is bounded by the heap, not by the thread's stack.
 * Each tag's reader consumes the END_ARRAY that closes it. One instance per decoding; not thread-safe.
 */
final class ValueReader {

    /** What {@link Frame#next} returns when it has pushed a frame, whose value comes later. */
    private static final Object PENDING = new Object();
    /** What {@link Frame#next} returns when the frame has read all its parts. */
    private static final Object FINISHED = new Object();

    private final JsonParser in;
    private final KnownClasses known;
    private final ClassLoader loader;
    private final ReferenceTypes references;
    /** The size of the encoding: no array can have more elements than it has bytes. */
    private final int encodedSize;
    private final List<Object> objects = new ArrayList<>();
    private final List<Class<?>> classes = new ArrayList<>();
    /** The objects whose parts are being read, innermost last. */
    private final ArrayDeque<Frame> frames = new ArrayDeque<>();
    /** Where reference types read their fields; made at the first reference, as most values hold none. */
    private ReferenceFields referenceFields;

    ValueReader(JsonParser in, KnownClasses known, ReferenceTypes references, int encodedSize) {
        this.in = in;
        this.known = known;
        this.loader = known.loader();
        this.references = references;
        this.encodedSize = encodedSize;
    }

    /** Reads a batch written by {@link ValueWriter#writeAll}. */
    @SuppressWarnings("unchecked")
    List<Object> readAll() throws IOException {
        expect(JsonToken.START_ARRAY);
        if (readInt() != Tag.BATCH) {
            throw malformed("a single value where a batch was expected");
        }
        frames.addLast(new ElementsFrame(-1, new ArrayList<>(), elements -> elements));
        return (List<Object>) drain(PENDING);
    }

    /** Reads the next value. */
    Object read() throws IOException {
        return drain(start(next()));
    }

    /** Fails unless the input has ended. */
    void expectEndOfInput() throws IOException {
        JsonToken token = in.nextToken();
        if (token != null) {
            throw malformed("unexpected " + token + " after the value");
        }
    }

    /**
     * Reads the parts of the objects on the work stack until it is empty, and returns the outermost one;
     * {@code value} is what the last read gave: a whole value, or {@link #PENDING} if it pushed a frame.
     */
    private Object drain(Object value) throws IOException {
        while (!frames.isEmpty()) {
            Frame top = frames.peekLast();
            if (value != PENDING) {
                top.accept(value);
            }
            value = top.readParts();
            if (value == FINISHED) {
                frames.removeLast();
                value = top.finish();
                if (top.number >= 0) {
                    objects.set(top.number, value);
                }
            }
        }
        return value;
    }

    /** Starts the value that begins with {@code token}: returns it if it is whole, else pushes its frame. */
    private Object start(JsonToken token) throws IOException {
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
                return startTagged();
            default:
                throw malformed("unexpected " + token);
        }
    }

    private Object startTagged() throws IOException {
        int tag = readInt();
        return switch (tag) {
            case Tag.REF -> closed(reference(readInt()));
            case Tag.LONG -> closed(readLong());
            case Tag.BYTE -> closed((byte) readInt());
            case Tag.SHORT -> closed((short) readInt());
            case Tag.CHAR -> closed((char) readInt());
            case Tag.ENUM -> closed(enumConstant(readClass(), readString()));
            case Tag.CLASS -> closed(readClass());
            case Tag.BATCH -> throw malformed("a batch where a single value was expected");
            default -> ReferenceTypes.isReference(tag) ? closed(readReference(references.forTag(tag))) : startObject(tag);
        };
    }

    /** Starts an object with identity, numbered before its contents are read. */
    private Object startObject(int tag) throws IOException {
        int number = objects.size();
        objects.add(null);
        Frame frame = switch (tag) {
            case Tag.PRIMITIVE_ARRAY, Tag.SERIALIZED -> null; // read whole, below
            case Tag.OBJECT_ARRAY -> new ArrayFrame(number);
            case Tag.COLLECTION -> new ElementsFrame(number, newCollection(readClass(), null), elements -> elements);
            case Tag.SORTED_COLLECTION -> new ElementsFrame(number, readClass());
            case Tag.MAP -> new EntriesFrame(number, newMap(readClass(), null), map -> map);
            case Tag.SORTED_MAP -> new EntriesFrame(number, readClass());
            case Tag.IMMUTABLE_LIST -> new ElementsFrame(number, new ArrayList<>(),
                    elements -> immutableList((List<Object>) elements));
            case Tag.IMMUTABLE_SET -> new ElementsFrame(number, new LinkedHashSet<>(),
                    elements -> Collections.unmodifiableSet((Set<Object>) elements));
            case Tag.IMMUTABLE_MAP -> new EntriesFrame(number, new LinkedHashMap<>(), Collections::unmodifiableMap);
            case Tag.OPTIONAL -> new ElementsFrame(number, new ArrayList<>(), ValueReader::optional);
            case Tag.ENTRY -> new ElementsFrame(number, new ArrayList<>(), ValueReader::entry);
            case Tag.RECORD -> new RecordFrame(number);
            case Tag.OBJECT -> new FieldsFrame(number);
            case Tag.LAMBDA -> lambdaFrame(number);
            default -> throw malformed("unknown tag " + tag);
        };
        if (frame == null) {
            Object value = closed(tag == Tag.PRIMITIVE_ARRAY
                    ? PrimitiveArrays.fromBytes(readString(), readBinary())
                    : JavaSerialization.read(readBinary(), loader));
            objects.set(number, value);
            return value;
        }
        frames.addLast(frame);
        return PENDING;
    }

    private Object reference(int number) {
        if (number < 0 || number >= objects.size() || objects.get(number) == null) {
            throw malformed("a reference to object " + number + ", which has not been read");
        }
        return objects.get(number);
    }

    /**
     * The object a reference stands for, opened here by its type: a shared object's segment mapped (or this
     * JVM's object for it), never a copy; a proxy of the same managed object. A queue, pipe or proxy decodes
     * its own values with this reader's loader.
     */
    private Object readReference(ReferenceType type) throws IOException {
        if (referenceFields == null) {
            referenceFields = new ReferenceFields();
        }
        try {
            return type.open(referenceFields, loader);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new CodecException("cannot decode " + type.noun() + ": " + e.getMessage(), e);
        }
    }

    /** The fields of a reference, read as Smile scalars after its tag. */
    private final class ReferenceFields implements ReferenceInput {

        @Override
        public int readInt() throws IOException {
            return ValueReader.this.readInt();
        }

        @Override
        public long readLong() throws IOException {
            return ValueReader.this.readLong();
        }

        @Override
        public String readString() throws IOException {
            return ValueReader.this.readString();
        }

        @Override
        public byte[] readBytes() throws IOException {
            return readBinary();
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

    private static Comparator<?> comparator(Object comparator) {
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

    private static Optional<?> optional(Collection<Object> parts) {
        if (parts.size() > 1) {
            throw malformed("an Optional of " + parts.size() + " values");
        }
        return parts.isEmpty() ? Optional.empty() : Optional.ofNullable(((List<Object>) parts).get(0));
    }

    private static Map.Entry<?, ?> entry(Collection<Object> parts) {
        if (parts.size() != 2) {
            throw malformed("a map entry of " + parts.size() + " values");
        }
        List<Object> keyAndValue = (List<Object>) parts;
        return new AbstractMap.SimpleImmutableEntry<>(keyAndValue.get(0), keyAndValue.get(1));
    }

    private Frame lambdaFrame(int number) throws IOException {
        Class<?> capturingClass = readClass();
        String functionalInterface = readString();
        String interfaceMethod = readString();
        String interfaceSignature = readString();
        int implKind = readInt();
        String implClass = readString();
        String implMethod = readString();
        String implSignature = readString();
        String instantiatedType = readString();
        return new ElementsFrame(number, new ArrayList<>(), captured -> LambdaForm.rebuild(capturingClass,
                new SerializedLambda(capturingClass, functionalInterface, interfaceMethod, interfaceSignature, implKind,
                        implClass, implMethod, implSignature, instantiatedType, captured.toArray())));
    }

    /**
     * An object whose parts are being read, on the work stack that replaces recursion: {@link #next} starts
     * the next part, {@link #accept} takes it once it is whole, {@link #finish} builds the object.
     */
    private abstract static class Frame {
        /** The object's number, or -1 for a batch. */
        final int number;

        Frame(int number) {
            this.number = number;
        }

        /**
         * Starts reading the next part: returns it if it is whole, {@link #PENDING} if it pushed its frame, or
         * {@link #FINISHED} if there is none left.
         */
        abstract Object next() throws IOException;

        /** Takes the part just read. */
        abstract void accept(Object part);

        /**
         * Reads parts until one has parts of its own ({@link #PENDING}: its frame is pushed and goes first) or
         * none is left ({@link #FINISHED}). Parts read whole stay in this loop, off the work stack.
         */
        final Object readParts() throws IOException {
            while (true) {
                Object part = next();
                if (part == PENDING || part == FINISHED) {
                    return part;
                }
                accept(part);
            }
        }

        /** The object, once {@link #next} returned {@link #FINISHED}; reads what closes it. */
        abstract Object finish() throws IOException;
    }

    /** Builds an object from the collection its parts were read into. */
    private interface Builder {
        Object build(Collection<Object> parts);
    }

    /**
     * Values up to the closing END_ARRAY, added to a collection and then built into the object: a collection,
     * an unmodifiable collection, an Optional, an entry, a lambda's captured values, a batch. A sorted
     * collection first reads its comparator, then creates the collection.
     */
    private final class ElementsFrame extends Frame {
        private final Class<?> sortedType;
        private final Builder builder;
        private Collection<Object> elements;

        ElementsFrame(int number, Collection<Object> elements, Builder builder) {
            super(number);
            this.sortedType = null;
            this.elements = elements;
            this.builder = builder;
        }

        /** A sorted collection of class {@code sortedType}, whose comparator comes first. */
        ElementsFrame(int number, Class<?> sortedType) {
            super(number);
            this.sortedType = sortedType;
            this.builder = elements -> elements;
        }

        @Override
        Object next() throws IOException {
            JsonToken token = ValueReader.this.next();
            return token == JsonToken.END_ARRAY && elements != null ? FINISHED : start(token);
        }

        @Override
        void accept(Object part) {
            if (elements == null) {
                elements = newCollection(sortedType, comparator(part));
            } else {
                elements.add(part);
            }
        }

        @Override
        Object finish() {
            return builder.build(elements);
        }
    }

    /** Keys and values up to the closing END_ARRAY, put in a map; a sorted map reads its comparator first. */
    private final class EntriesFrame extends Frame {
        private final Class<?> sortedType;
        private final UnaryOperator<Map<Object, Object>> builder;
        private Map<Object, Object> map;
        private boolean keyRead;
        private Object key;

        EntriesFrame(int number, Map<Object, Object> map, UnaryOperator<Map<Object, Object>> builder) {
            super(number);
            this.sortedType = null;
            this.map = map;
            this.builder = builder;
        }

        /** A sorted map of class {@code sortedType}, whose comparator comes first. */
        EntriesFrame(int number, Class<?> sortedType) {
            super(number);
            this.sortedType = sortedType;
            this.builder = map -> map;
        }

        @Override
        Object next() throws IOException {
            JsonToken token = ValueReader.this.next();
            return token == JsonToken.END_ARRAY && map != null && !keyRead ? FINISHED : start(token);
        }

        @Override
        void accept(Object part) {
            if (map == null) {
                map = newMap(sortedType, comparator(part));
            } else if (!keyRead) {
                key = part;
                keyRead = true;
            } else {
                map.put(key, part);
                key = null;
                keyRead = false;
            }
        }

        @Override
        Object finish() {
            return builder.apply(map);
        }
    }

    /** The elements of an object array, which is registered before them (so cycles through it are rebuilt). */
    private final class ArrayFrame extends Frame {
        private final Object[] array;
        private int next;

        ArrayFrame(int number) throws IOException {
            super(number);
            Class<?> component = readClass();
            int length = readInt();
            if (length < 0 || length > encodedSize) {
                throw malformed("an array of " + length + " elements in " + encodedSize + " bytes");
            }
            array = (Object[]) Array.newInstance(component, length);
            objects.set(number, array);
        }

        @Override
        Object next() throws IOException {
            return next < array.length ? start(ValueReader.this.next()) : FINISHED;
        }

        @Override
        void accept(Object element) {
            try {
                array[next++] = element;
            } catch (ArrayStoreException e) {
                throw new CodecException("cannot decode: a " + array.getClass().getComponentType().getName()
                        + "[] cannot hold a " + element.getClass().getName(), e);
            }
        }

        @Override
        Object finish() throws IOException {
            return closed(array);
        }
    }

    /** Named parts in a Smile object, up to its END_OBJECT and the END_ARRAY that closes the tag. */
    private abstract class NamedPartsFrame extends Frame {

        NamedPartsFrame(int number) {
            super(number);
        }

        /** Prepares to take the part called {@code name}. */
        abstract void expectPart(String name);

        @Override
        Object next() throws IOException {
            String name = in.nextFieldName();
            if (name == null) {
                expectCurrent(JsonToken.END_OBJECT);
                return FINISHED;
            }
            expectPart(name);
            return start(ValueReader.this.next());
        }
    }

    /** A record's components; the record is built by its canonical constructor after them. */
    private final class RecordFrame extends NamedPartsFrame {
        private final RecordShape shape;
        private final Object[] arguments;
        private int component;

        RecordFrame(int number) throws IOException {
            super(number);
            Class<?> type = readClass();
            shape = type.isRecord() ? Classifier.plan(type).record() : null;
            if (shape == null) {
                throw new CodecException("cannot decode: " + type.getName() + " is not a record of the unnamed module");
            }
            arguments = shape.emptyArguments();
            expect(JsonToken.START_OBJECT);
        }

        @Override
        void expectPart(String name) {
            component = shape.indexOf(name);
        }

        @Override
        void accept(Object part) {
            arguments[component] = part;
        }

        @Override
        Object finish() throws IOException {
            return closed(shape.build(arguments));
        }
    }

    /** A plain object's fields, set on the instance allocated (and registered) before them. */
    private final class FieldsFrame extends NamedPartsFrame {
        private final FieldShape shape;
        private final Object instance;
        private String field;

        FieldsFrame(int number) throws IOException {
            super(number);
            Class<?> type = readClass();
            shape = Classifier.plan(type).fields();
            if (shape == null) {
                throw new CodecException("cannot decode: " + type.getName() + " is not a plain class whose fields can be set");
            }
            instance = shape.allocate();
            objects.set(number, instance);
            expect(JsonToken.START_OBJECT);
        }

        @Override
        void expectPart(String name) {
            field = name;
        }

        @Override
        void accept(Object part) {
            shape.write(instance, field, part);
        }

        @Override
        Object finish() throws IOException {
            return closed(instance);
        }
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
