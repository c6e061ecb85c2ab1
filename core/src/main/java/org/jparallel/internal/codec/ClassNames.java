package org.jparallel.internal.codec;

import java.io.Serializable;
import java.lang.reflect.Modifier;
import java.util.Map;

/** Class names both ways: readable names for messages, and classes found by name when decoding. */
final class ClassNames {

    private static final Map<String, Class<?>> PRIMITIVES = Map.of(
            "boolean", boolean.class, "byte", byte.class, "short", short.class, "char", char.class,
            "int", int.class, "long", long.class, "float", float.class, "double", double.class,
            "void", void.class);

    private static final String INTERNAL = "org.jparallel.internal.";
    private static final String API = "org.jparallel.api";

    private ClassNames() {
    }

    /** Whether {@code type} is the class of a lambda or method reference. */
    static boolean isLambda(Class<?> type) {
        return type.isHidden() && type.getName().contains("$$Lambda");
    }

    /**
     * How a message names a value of this class, e.g. {@code java.io.PrintStream}: a class the
     * user cannot see (an internal class of the JDK) is named by its nearest public concrete
     * superclass, or else its first public interface, e.g. {@code java.util.stream.Stream}.
     */
    static String noun(Class<?> type) {
        return isLambda(type) ? "lambda implementing " + functionalInterface(type) : publicFace(type).getTypeName();
    }

    private static Class<?> publicFace(Class<?> type) {
        if (type.getName().startsWith(INTERNAL)) { // e.g. a shared object: named by its public interface
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                for (Class<?> implemented : c.getInterfaces()) {
                    if (implemented.getPackageName().equals(API)) {
                        return implemented;
                    }
                }
            }
        }
        if (isVisible(type) || !Classifier.isPlatform(type)) {
            return type;
        }
        for (Class<?> c = type.getSuperclass(); c != null && c != Object.class; c = c.getSuperclass()) {
            if (isVisible(c) && !Modifier.isAbstract(c.getModifiers())) {
                return c;
            }
        }
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> implemented : c.getInterfaces()) {
                if (isVisible(implemented) && implemented != Serializable.class && implemented != Cloneable.class) {
                    return implemented;
                }
            }
        }
        return type;
    }

    private static boolean isVisible(Class<?> type) {
        return Modifier.isPublic(type.getModifiers()) && type.getModule().isExported(type.getPackageName());
    }

    /** A short name of a value's type, e.g. {@code Config}, {@code int[]}, {@code Map} (for {@code Map.of(...)}) or {@code lambda}. */
    static String shortName(Object value) {
        if (value == null) {
            return "null";
        }
        Class<?> type = value.getClass();
        if (isLambda(type)) {
            return "lambda";
        }
        Class<?> shown = publicFace(type);
        String simple = shown.getSimpleName();
        return simple.isEmpty() ? shown.getName() : simple;
    }

    private static String functionalInterface(Class<?> lambda) {
        for (Class<?> implemented : lambda.getInterfaces()) {
            if (implemented != Serializable.class) {
                return implemented.getName();
            }
        }
        return "an unknown interface";
    }

    /** The class called {@code name} (as {@link Class#getName()} spells it) in {@code loader}. */
    static Class<?> resolve(String name, ClassLoader loader) {
        Class<?> primitive = PRIMITIVES.get(name);
        if (primitive != null) {
            return primitive;
        }
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException e) {
            throw new CodecException("cannot decode: class " + name + " is not known to this JVM (loader " + loader + ")", e);
        } catch (LinkageError e) {
            throw new CodecException("cannot decode: class " + name + " cannot be loaded: " + e, e);
        }
    }
}
