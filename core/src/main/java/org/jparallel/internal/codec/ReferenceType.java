package org.jparallel.internal.codec;

import java.io.IOException;

/**
 * A kind of reference ({@link SentByReference}) as a receiver sees it: its tag in the value encoding and how
 * its fields become an object in this process. Shared memory and managers each provide one, which
 * {@link ReferenceTypes#installed()} finds through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/org.jparallel.internal.codec.ReferenceType}), so the codec names neither.
 * An implementation is stateless and thread-safe; as a service it has a public no-argument constructor.
 */
public interface ReferenceType {

    /**
     * This type's tag, from {@link ReferenceTypes#FIRST_TAG} to {@link ReferenceTypes#LAST_TAG}: part of the
     * wire format ({@code docs/wire-protocol.md}, "Values"), so it never changes.
     */
    int tag();

    /** What a reference of this type stands for, in error messages: e.g. {@code a shared object}. */
    String noun();

    /**
     * The object that the fields in {@code in} refer to, in this process.
     *
     * @param loader the decoding codec's class loader: an object that decodes values of its own (a queue,
     *               a proxy) decodes them with it
     * @throws IllegalArgumentException if the fields do not name an object of this type
     * @throws IllegalStateException    if the object no longer exists or cannot be opened here; the codec
     *                                  reports both as a {@link CodecException} that names {@link #noun()}
     */
    Object open(ReferenceInput in, ClassLoader loader) throws IOException;
}
