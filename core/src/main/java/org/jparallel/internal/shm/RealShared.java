package org.jparallel.internal.shm;

import org.jparallel.api.SharedObject;

import java.nio.MappedByteBuffer;

/**
 * What every shared object is underneath: a view of one {@link Segment}. The value codec recognises
 * this class and sends {@link #descriptor()} instead of the object's fields.
 */
public abstract class RealShared implements SharedObject {

    final Segment segment;
    final MappedByteBuffer buffer;

    RealShared(Segment segment) {
        this.segment = segment;
        this.buffer = segment.buffer;
    }

    /** What a receiver needs to map this object. */
    public Descriptor descriptor() {
        return new Descriptor(segment.kind, segment.path.toString(), 0, segment.length);
    }

    /** The public interface this object implements, e.g. {@code SharedInt}, for messages. */
    public abstract Class<? extends SharedObject> publicType();

    @Override
    public boolean isClosed() {
        return segment.isClosed();
    }

    @Override
    public void close() {
        SharedMemory.close(segment);
    }

    final void checkOpen() {
        if (segment.isClosed()) {
            throw new IllegalStateException("this " + publicType().getSimpleName()
                    + " is closed: its shared memory was released");
        }
    }
}
