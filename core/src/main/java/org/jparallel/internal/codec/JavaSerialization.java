package org.jparallel.internal.codec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;

/**
 * JDK values the codec cannot take apart itself (java.time, UUID, atomics, exceptions, ...),
 * carried as Java serialization bytes; classes are resolved in the codec's loader when reading.
 */
final class JavaSerialization {

    private JavaSerialization() {
    }

    /** The serialized bytes of {@code value}; a part that is not Serializable fails with a {@link java.io.NotSerializableException}. */
    static byte[] write(Object value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    /** The value serialized in {@code bytes}. */
    static Object read(byte[] bytes, ClassLoader loader) {
        try (ObjectInputStream in = new LoaderObjectInputStream(new ByteArrayInputStream(bytes), loader)) {
            return in.readObject();
        } catch (ClassNotFoundException e) {
            throw new CodecException("cannot decode a serialized value: class " + e.getMessage() + " is not known to this JVM", e);
        } catch (IOException | RuntimeException e) {
            throw new CodecException("cannot decode a serialized value: " + e, e);
        }
    }

    private static final class LoaderObjectInputStream extends ObjectInputStream {
        private final ClassLoader loader;

        LoaderObjectInputStream(InputStream in, ClassLoader loader) throws IOException {
            super(in);
            this.loader = loader;
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass descriptor) throws IOException, ClassNotFoundException {
            try {
                return Class.forName(descriptor.getName(), false, loader);
            } catch (ClassNotFoundException e) {
                return super.resolveClass(descriptor); // primitive types
            }
        }
    }
}
