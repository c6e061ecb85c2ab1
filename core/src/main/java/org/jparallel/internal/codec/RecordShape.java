package org.jparallel.internal.codec;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.HashMap;
import java.util.Map;

/**
 * A record class taken apart: its components, read through their accessors, and its canonical
 * constructor, which rebuilds an instance. Works for records of any accessibility in the unnamed module.
 */
final class RecordShape {

    private static final Map<Class<?>, Object> PRIMITIVE_ZEROS = Map.of(
            boolean.class, false, byte.class, (byte) 0, short.class, (short) 0, char.class, (char) 0,
            int.class, 0, long.class, 0L, float.class, 0f, double.class, 0d);

    private final Class<?> type;
    private final String[] names;
    private final Method[] accessors;
    private final Class<?>[] componentTypes;
    private final Map<String, Integer> indexByName = new HashMap<>();
    private final Constructor<?> canonical;
    private final Object[] defaults;

    RecordShape(Class<?> type) {
        this.type = type;
        RecordComponent[] components = type.getRecordComponents();
        names = new String[components.length];
        accessors = new Method[components.length];
        componentTypes = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            names[i] = components[i].getName();
            accessors[i] = components[i].getAccessor();
            accessors[i].setAccessible(true);
            componentTypes[i] = components[i].getType();
            indexByName.put(names[i], i);
        }
        defaults = new Object[components.length];
        for (int i = 0; i < defaults.length; i++) {
            defaults[i] = PRIMITIVE_ZEROS.get(componentTypes[i]);
        }
        try {
            canonical = type.getDeclaredConstructor(componentTypes);
            canonical.setAccessible(true);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("record " + type.getName() + " has no canonical constructor", e);
        }
    }

    int size() {
        return names.length;
    }

    /** The components' names, in the order of {@link #read}; not to be modified. */
    String[] names() {
        return names;
    }

    /** The value of one component of {@code record}; the accessor's own exception propagates. */
    Object read(Object record, int component) throws InvocationTargetException, IllegalAccessException {
        return accessors[component].invoke(record);
    }

    /** The position of the component called {@code name}. */
    int indexOf(String name) {
        Integer index = indexByName.get(name);
        if (index == null) {
            throw new CodecException("cannot decode record " + type.getName() + ": it has no component " + name);
        }
        return index;
    }

    /** An array for the canonical constructor's arguments, primitives preset to their zero value. */
    Object[] emptyArguments() {
        return defaults.clone();
    }

    /** A new record built by the canonical constructor. */
    Object build(Object[] arguments) {
        try {
            return canonical.newInstance(arguments);
        } catch (InvocationTargetException e) {
            throw new CodecException("cannot decode record " + type.getName() + ": its constructor threw " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | IllegalArgumentException e) {
            throw new CodecException("cannot decode record " + type.getName() + ": its components do not fit its constructor: " + e, e);
        }
    }
}
