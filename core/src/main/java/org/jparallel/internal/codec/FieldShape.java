package org.jparallel.internal.codec;

import sun.reflect.ReflectionFactory;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A plain class of the unnamed module taken apart: its non-static, non-transient fields,
 * inherited ones included, and a way to allocate an instance without running a constructor
 * (as Java serialization does), so that fields can be filled after the object exists.
 *
 * <p>Serializable classes are handled the same way: {@code writeObject}, {@code readObject},
 * {@code writeReplace} and {@code readResolve} are not called.
 *
 * <p>A field is keyed by its name; a field hidden by a subclass field of the same name is keyed
 * by {@code declaringClass.name}.
 */
final class FieldShape {

    private final Class<?> type;
    private final String[] keys;
    private final Field[] fields;
    private final Map<String, Field> fieldByKey = new HashMap<>();
    private final Constructor<?> allocator;

    FieldShape(Class<?> type) {
        this.type = type;
        List<Field> found = new ArrayList<>();
        for (Class<?> c = type; c != null && !Classifier.isPlatform(c); c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if ((field.getModifiers() & (Modifier.STATIC | Modifier.TRANSIENT)) == 0) {
                    field.setAccessible(true);
                    found.add(field);
                }
            }
        }
        fields = found.toArray(Field[]::new);
        keys = new String[fields.length];
        for (int i = 0; i < fields.length; i++) {
            String key = fieldByKey.containsKey(fields[i].getName())
                    ? fields[i].getDeclaringClass().getName() + "." + fields[i].getName()
                    : fields[i].getName();
            keys[i] = key;
            fieldByKey.put(key, fields[i]);
        }
        allocator = allocatorFor(type);
    }

    private static Constructor<?> allocatorFor(Class<?> type) {
        try {
            Constructor<?> allocator = ReflectionFactory.getReflectionFactory()
                    .newConstructorForSerialization(type, Object.class.getDeclaredConstructor());
            allocator.setAccessible(true);
            return allocator;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("java.lang.Object has no constructor", e);
        }
    }

    /** The first superclass of {@code type} that belongs to the JDK and has instance state, or null. */
    static Class<?> statefulPlatformSuperclass(Class<?> type) {
        for (Class<?> c = type.getSuperclass(); c != null && c != Object.class; c = c.getSuperclass()) {
            if (Classifier.isPlatform(c)) {
                for (Field field : c.getDeclaredFields()) {
                    if ((field.getModifiers() & (Modifier.STATIC | Modifier.TRANSIENT)) == 0) {
                        return c;
                    }
                }
            }
        }
        return null;
    }

    int size() {
        return fields.length;
    }

    /** The fields' keys, in the order of {@link #read}; not to be modified. */
    String[] keys() {
        return keys;
    }

    Object read(Object instance, int field) throws IllegalAccessException {
        return fields[field].get(instance);
    }

    /** A new instance with every field at its default value. */
    Object allocate() {
        try {
            return allocator.newInstance();
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new CodecException("cannot decode: an instance of " + type.getName() + " cannot be allocated: " + e, e);
        }
    }

    /** Sets the field called {@code key} of {@code instance}. */
    void write(Object instance, String key, Object value) {
        Field field = fieldByKey.get(key);
        if (field == null) {
            throw new CodecException("cannot decode " + type.getName() + ": it has no field " + key);
        }
        try {
            field.set(instance, value);
        } catch (IllegalAccessException | IllegalArgumentException e) {
            throw new CodecException("cannot decode " + type.getName() + ": field " + key + " cannot hold "
                    + (value == null ? "null" : "a " + value.getClass().getName()), e);
        }
    }
}
