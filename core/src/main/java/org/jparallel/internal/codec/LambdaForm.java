package org.jparallel.internal.codec;

import org.jparallel.api.NotSendableException;

import java.io.Serializable;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Serializable lambdas and method references as the JDK describes them: the lambda's own
 * {@code writeReplace} yields a {@link SerializedLambda}; the receiver rebuilds the lambda by
 * handing that description to the capturing class's {@code $deserializeLambda$}, exactly as Java
 * serialization does. Captured values are sent separately, through the codec.
 */
final class LambdaForm {

    private static final ClassValue<Method> WRITE_REPLACE = new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> lambda) {
            return accessibleMethod(lambda, "writeReplace");
        }
    };

    private static final ClassValue<Method> DESERIALIZE = new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> capturing) {
            return accessibleMethod(capturing, "$deserializeLambda$", SerializedLambda.class);
        }
    };

    /** Whether a class is that of a serializable lambda that captures nothing: no instance field holds a captured value. */
    private static final ClassValue<Boolean> CAPTURES_NOTHING = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            if (!ClassNames.isLambda(type) || !Serializable.class.isAssignableFrom(type)) {
                return false;
            }
            for (Field field : type.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers())) {
                    return false;
                }
            }
            return true;
        }
    };

    /** The bytes of a lambda of this class that captures nothing, once encoded (see {@link #encodedOnce}). */
    private static final ClassValue<AtomicReference<byte[]>> ENCODED = new ClassValue<>() {
        @Override
        protected AtomicReference<byte[]> computeValue(Class<?> type) {
            return new AtomicReference<>();
        }
    };

    /** Encodes a value; may refuse it. */
    interface Encoding {
        byte[] encode() throws NotSendableException;
    }

    private LambdaForm() {
    }

    /** Whether {@code type} is the class of a serializable lambda that captures no value. */
    static boolean capturesNothing(Class<?> type) {
        return CAPTURES_NOTHING.get(type);
    }

    /**
     * The bytes of a lambda of {@code type}, which captures nothing ({@link #capturesNothing}): they depend on the
     * class alone, so they are made once. Each {@code apply} of the same lambda encoded it again: 2.6 µs of the
     * caller's CPU (a reflective {@code writeReplace} on a hidden class, which never gets a generated accessor,
     * and a Smile document), a tenth of what an apply costs the calling thread. A copy is returned, as callers
     * own what they get.
     */
    static byte[] encodedOnce(Class<?> type, Encoding encoding) throws NotSendableException {
        AtomicReference<byte[]> slot = ENCODED.get(type);
        byte[] bytes = slot.get();
        if (bytes == null) {
            bytes = encoding.encode();
            slot.set(bytes);
        }
        return bytes.clone();
    }

    /** The JDK's description of a serializable lambda of the unnamed module. */
    static SerializedLambda describe(Object lambda) throws ReflectiveOperationException {
        Method writeReplace = WRITE_REPLACE.get(lambda.getClass());
        if (writeReplace == null) {
            throw new NoSuchMethodException(lambda.getClass().getName() + ".writeReplace()");
        }
        return (SerializedLambda) writeReplace.invoke(lambda);
    }

    /** The lambda described by {@code description}, recreated in the capturing class. */
    static Object rebuild(Class<?> capturingClass, SerializedLambda description) {
        Method deserialize = DESERIALIZE.get(capturingClass);
        if (deserialize == null) {
            throw new CodecException("cannot decode a lambda: " + capturingClass.getName()
                    + " has no $deserializeLambda$ method (it declares no serializable lambda)");
        }
        try {
            return deserialize.invoke(null, description);
        } catch (InvocationTargetException e) {
            throw new CodecException("cannot decode a lambda of " + capturingClass.getName() + " ("
                    + description.getImplMethodName() + "): " + e.getCause(), e.getCause());
        } catch (IllegalAccessException e) {
            throw new CodecException("cannot decode a lambda of " + capturingClass.getName() + ": " + e, e);
        }
    }

    private static Method accessibleMethod(Class<?> type, String name, Class<?>... parameters) {
        try {
            Method method = type.getDeclaredMethod(name, parameters);
            method.setAccessible(true);
            return method;
        } catch (NoSuchMethodException | RuntimeException e) {
            return null;
        }
    }
}
