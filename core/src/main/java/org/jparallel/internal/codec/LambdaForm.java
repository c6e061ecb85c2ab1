package org.jparallel.internal.codec;

import java.lang.invoke.SerializedLambda;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

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

    private LambdaForm() {
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
