package org.jparallel.internal.shm;

import org.jparallel.internal.codec.ReferenceInput;
import org.jparallel.internal.codec.ReferenceType;

import java.io.IOException;

/**
 * How a shared object is sent in a value: tag 23, then its {@link Descriptor}'s fields; the receiver maps the
 * same segment ({@link SharedMemory#open(Descriptor, ClassLoader)}). A service of the codec
 * ({@code META-INF/services/org.jparallel.internal.codec.ReferenceType}).
 */
public final class SharedReferenceType implements ReferenceType {

    /** The instance shared objects name as their type (the codec's service loader makes another: both are stateless). */
    static final SharedReferenceType INSTANCE = new SharedReferenceType();

    /** For the service loader. */
    public SharedReferenceType() {
    }

    @Override
    public int tag() {
        return 23;
    }

    @Override
    public String noun() {
        return "a shared object";
    }

    @Override
    public Object open(ReferenceInput in, ClassLoader loader) throws IOException {
        return SharedMemory.open(Descriptor.readFrom(in), loader);
    }
}
