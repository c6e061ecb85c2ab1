package org.jparallel.internal.codec;

import com.fasterxml.jackson.core.JsonGenerationException;
import com.fasterxml.jackson.core.JsonGenerator;
import org.jparallel.api.NotSendableException;
import org.jparallel.api.SharedObjectClosedException;
import org.jparallel.internal.manager.ManagedProxy;
import org.jparallel.internal.manager.ProxyReference;
import org.jparallel.internal.shm.Descriptor;
import org.jparallel.internal.shm.RealShared;

import java.io.IOException;
import java.io.NotSerializableException;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.InvocationTargetException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Walks one object graph and writes it as tagged Smile (see {@link Tag}), refusing anything that
 * cannot be sent with a {@link NotSendableException} that says where and why. One instance per
 * encoding; not thread-safe.
 */
final class ValueWriter {

    private final JsonGenerator out;
    private final String name;
    /** The value as a whole, named in messages by its type. */
    private final Object root;
    private final PathStack path;
    // small at first: most values sent (numbers, strings) need none of them
    private final IdentityHashMap<Object, Integer> objectNumbers = new IdentityHashMap<>(0);
    /** Objects being written that can only be built after their contents, with the path depth where they start. */
    private final IdentityHashMap<Object, Integer> unfinished = new IdentityHashMap<>(0);
    private final Map<String, Integer> classNumbers = new HashMap<>(0);

    /**
     * A writer of the value called {@code name}.
     *
     * @param root the value as a whole, named in messages by its type
     */
    ValueWriter(JsonGenerator out, String name, Object root) {
        this.out = out;
        this.name = name;
        this.root = root;
        this.path = new PathStack(name);
    }

    /**
     * Writes a batch as one {@link Tag#BATCH}, its element {@code i} at path {@code name[firstIndex + i]}
     * (a batch may be one chunk of a longer input).
     */
    void writeAll(Iterable<?> values, long firstIndex) throws IOException, NotSendableException {
        begin(Tag.BATCH);
        long index = firstIndex;
        for (Object value : values) {
            path.pushIndex(index++);
            write(value);
            path.pop();
        }
        out.writeEndArray();
    }

    /** Writes one value and everything it refers to. */
    void write(Object value) throws IOException, NotSendableException {
        if (value == null) {
            out.writeNull();
            return;
        }
        Class<?> type = value.getClass();
        if (type == Integer.class) {
            out.writeNumber((int) (Integer) value);
        } else if (type == String.class) {
            writeString((String) value);
        } else if (type == Double.class) {
            out.writeNumber((double) (Double) value);
        } else if (type == Long.class) {
            begin(Tag.LONG);
            out.writeNumber((long) (Long) value);
            out.writeEndArray();
        } else if (type == Boolean.class) {
            out.writeBoolean((Boolean) value);
        } else if (type == Float.class) {
            out.writeNumber((float) (Float) value);
        } else if (type == BigInteger.class) {
            out.writeNumber((BigInteger) value);
        } else if (type == BigDecimal.class) {
            out.writeNumber((BigDecimal) value);
        } else if (type == Byte.class || type == Short.class || type == Character.class) {
            begin(type == Byte.class ? Tag.BYTE : type == Short.class ? Tag.SHORT : Tag.CHAR);
            out.writeNumber(type == Character.class ? (Character) value : ((Number) value).intValue());
            out.writeEndArray();
        } else if (value instanceof ManagedProxy proxy) {
            writeProxy(proxy.reference());
        } else {
            writeObject(value, Classifier.plan(type));
        }
    }

    private void writeString(String text) throws IOException, NotSendableException {
        try {
            out.writeString(text);
        } catch (JsonGenerationException e) {
            int surrogate = CompactForm.unpairedSurrogate(text);
            if (surrogate < 0) {
                throw e;
            }
            throw refuse(text, Refusal.unpairedSurrogate(text, surrogate));
        }
    }

    private void writeObject(Object value, TypePlan plan) throws IOException, NotSendableException {
        switch (plan.kind()) {
            case ENUM -> {
                begin(Tag.ENUM);
                writeClass(((Enum<?>) value).getDeclaringClass());
                out.writeString(((Enum<?>) value).name());
                out.writeEndArray();
            }
            case CLASS -> {
                begin(Tag.CLASS);
                writeClass((Class<?>) value);
                out.writeEndArray();
            }
            case SHARED -> writeShared((RealShared) value);
            case REFUSED -> throw refuse(value, plan.refusal());
            default -> writeWithIdentity(value, plan);
        }
    }

    /** Writes an object that has identity: a reference if it was written before, else the object itself. */
    private void writeWithIdentity(Object value, TypePlan plan) throws IOException, NotSendableException {
        Integer number = objectNumbers.get(value);
        if (number != null) {
            Integer startDepth = unfinished.get(value);
            if (startDepth != null) {
                throw refuse(value, Refusal.cycle(path.render(startDepth), builtAfterContents(plan.kind())));
            }
            begin(Tag.REF);
            out.writeNumber(number);
            out.writeEndArray();
            return;
        }
        objectNumbers.put(value, objectNumbers.size());
        switch (plan.kind()) {
            case PRIMITIVE_ARRAY -> writePrimitiveArray(value);
            case OBJECT_ARRAY -> writeObjectArray((Object[]) value);
            case SERIALIZED -> writeSerialized(value);
            case OBJECT -> writeFields(value, plan.fields());
            default -> {
                unfinished.put(value, path.depth());
                writeBuiltAfterContents(value, plan);
                unfinished.remove(value);
            }
        }
    }

    private static String builtAfterContents(TypePlan.Kind kind) {
        return switch (kind) {
            case RECORD -> "a record";
            case COLLECTION -> "a collection";
            case MAP -> "a map";
            case OPTIONAL -> "an Optional";
            case ENTRY -> "a map entry";
            default -> "a lambda";
        };
    }

    private void writeBuiltAfterContents(Object value, TypePlan plan) throws IOException, NotSendableException {
        switch (plan.kind()) {
            case RECORD -> writeRecord(value, plan.record());
            case COLLECTION, MAP -> writeContainer(value, plan.collection());
            case OPTIONAL -> writeOptional((Optional<?>) value);
            case ENTRY -> writeEntry((Map.Entry<?, ?>) value);
            default -> writeLambda(value);
        }
    }

    /** A shared object as its descriptor; its contents stay where they are. */
    private void writeShared(RealShared shared) throws IOException, SharedObjectClosedException {
        if (shared.isClosed()) {
            throw new SharedObjectClosedException(name, ClassNames.shortName(root), path.render(), shared.publicType().getName());
        }
        Descriptor d = shared.descriptor();
        begin(Tag.SHARED);
        out.writeNumber(d.kind().code());
        out.writeString(d.path());
        out.writeNumber(d.offset());
        out.writeNumber(d.length());
        out.writeEndArray();
    }

    /** A manager proxy as the address of its object; the object stays on its server. */
    private void writeProxy(ProxyReference ref) throws IOException {
        begin(Tag.PROXY);
        out.writeNumber(ref.kind());
        out.writeNumber(ref.port());
        out.writeNumber(ref.pid());
        out.writeNumber(ref.object());
        out.writeBinary(ref.secret());
        out.writeEndArray();
    }

    private void writePrimitiveArray(Object array) throws IOException {
        begin(Tag.PRIMITIVE_ARRAY);
        out.writeString(PrimitiveArrays.descriptor(array));
        out.writeBinary(PrimitiveArrays.toBytes(array));
        out.writeEndArray();
    }

    private void writeObjectArray(Object[] array) throws IOException, NotSendableException {
        begin(Tag.OBJECT_ARRAY);
        writeClass(array.getClass().getComponentType());
        out.writeNumber(array.length);
        for (int i = 0; i < array.length; i++) {
            path.pushIndex(i);
            write(array[i]);
            path.pop();
        }
        out.writeEndArray();
    }

    private void writeSerialized(Object value) throws IOException, NotSendableException {
        byte[] bytes;
        try {
            bytes = JavaSerialization.write(value);
        } catch (NotSerializableException e) {
            throw refuse(value, Refusal.notSerializableInside(e.getMessage()));
        } catch (IOException | RuntimeException e) {
            throw refuse(value, Refusal.unreadable(e));
        }
        begin(Tag.SERIALIZED);
        out.writeBinary(bytes);
        out.writeEndArray();
    }

    private void writeFields(Object value, FieldShape shape) throws IOException, NotSendableException {
        begin(Tag.OBJECT);
        writeClass(value.getClass());
        out.writeStartObject();
        for (int i = 0; i < shape.size(); i++) {
            Object field;
            try {
                field = shape.read(value, i);
            } catch (IllegalAccessException e) {
                throw refuse(value, Refusal.unreadable(e));
            }
            out.writeFieldName(shape.key(i));
            path.push(shape.key(i));
            write(field);
            path.pop();
        }
        out.writeEndObject();
        out.writeEndArray();
    }

    private void writeRecord(Object value, RecordShape shape) throws IOException, NotSendableException {
        begin(Tag.RECORD);
        writeClass(value.getClass());
        out.writeStartObject();
        for (int i = 0; i < shape.size(); i++) {
            Object component;
            try {
                component = shape.read(value, i);
            } catch (InvocationTargetException e) {
                throw refuse(value, Refusal.unreadable(e.getCause()));
            } catch (IllegalAccessException e) {
                throw refuse(value, Refusal.unreadable(e));
            }
            out.writeFieldName(shape.name(i));
            path.push(shape.name(i));
            write(component);
            path.pop();
        }
        out.writeEndObject();
        out.writeEndArray();
    }

    private void writeContainer(Object value, CollectionForm form) throws IOException, NotSendableException {
        begin(form.tag());
        if (form.rebuild() != null) {
            writeClass(form.rebuild());
        }
        if (form.tag() == Tag.SORTED_COLLECTION || form.tag() == Tag.SORTED_MAP) {
            path.push("<comparator>");
            write(CollectionForm.comparatorOf(value));
            path.pop();
        }
        try {
            if (value instanceof Map<?, ?> map) {
                writeEntries(map);
            } else {
                writeElements((Collection<?>) value);
            }
        } catch (NotSendableException e) {
            throw e; // an element that cannot be sent, already described
        } catch (RuntimeException e) { // a collection's own iterator failed, e.g. a concurrent modification
            throw refuse(value, Refusal.unreadable(e));
        }
        out.writeEndArray();
    }

    private void writeElements(Collection<?> elements) throws IOException, NotSendableException {
        int index = 0;
        for (Object element : elements) {
            path.pushIndex(index++);
            write(element);
            path.pop();
        }
    }

    private void writeEntries(Map<?, ?> map) throws IOException, NotSendableException {
        int entry = 0;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            path.pushMapKey(entry);
            write(e.getKey());
            path.pop();
            path.pushMapValue(e.getKey(), entry++);
            write(e.getValue());
            path.pop();
        }
    }

    private void writeOptional(Optional<?> optional) throws IOException, NotSendableException {
        begin(Tag.OPTIONAL);
        if (optional.isPresent()) {
            path.push("<value>");
            write(optional.get());
            path.pop();
        }
        out.writeEndArray();
    }

    private void writeEntry(Map.Entry<?, ?> entry) throws IOException, NotSendableException {
        begin(Tag.ENTRY);
        path.push("<key>");
        write(entry.getKey());
        path.pop();
        path.push("<value>");
        write(entry.getValue());
        path.pop();
        out.writeEndArray();
    }

    private void writeLambda(Object lambda) throws IOException, NotSendableException {
        SerializedLambda form;
        try {
            form = LambdaForm.describe(lambda);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw refuse(lambda, Refusal.unreadable(e));
        }
        begin(Tag.LAMBDA);
        writeClassName(form.getCapturingClass().replace('/', '.'));
        out.writeString(form.getFunctionalInterfaceClass());
        out.writeString(form.getFunctionalInterfaceMethodName());
        out.writeString(form.getFunctionalInterfaceMethodSignature());
        out.writeNumber(form.getImplMethodKind());
        out.writeString(form.getImplClass());
        out.writeString(form.getImplMethodName());
        out.writeString(form.getImplMethodSignature());
        out.writeString(form.getInstantiatedMethodType());
        for (int i = 0; i < form.getCapturedArgCount(); i++) {
            path.push("<captured " + (i + 1) + ">");
            write(form.getCapturedArg(i));
            path.pop();
        }
        out.writeEndArray();
    }

    private void begin(int tag) throws IOException {
        out.writeStartArray();
        out.writeNumber(tag);
    }

    private void writeClass(Class<?> type) throws IOException {
        writeClassName(type.getName());
    }

    /** A class by name the first time it occurs in this encoding, by its number afterwards. */
    private void writeClassName(String className) throws IOException {
        Integer number = classNumbers.get(className);
        if (number == null) {
            classNumbers.put(className, classNumbers.size());
            out.writeString(className);
        } else {
            out.writeNumber(number);
        }
    }

    private NotSendableException refuse(Object value, Refusal refusal) {
        Class<?> type = value.getClass();
        return new NotSendableException(name, ClassNames.shortName(root), path.render(), type.getName(), ClassNames.noun(type),
                refusal.reason(), refusal.advice());
    }
}
