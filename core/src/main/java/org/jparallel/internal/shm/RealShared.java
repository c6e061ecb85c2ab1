package org.jparallel.internal.shm;

import org.jparallel.api.HostBoundException;
import org.jparallel.api.SharedObject;
import org.jparallel.api.SharedObjectClosedException;
import org.jparallel.internal.codec.ReferenceOutput;
import org.jparallel.internal.codec.ReferenceType;
import org.jparallel.internal.codec.SentByReference;

import java.io.IOException;
import java.nio.MappedByteBuffer;

/**
 * What every shared object is underneath: a view of one {@link Segment}. The value codec sends it by
 * reference: {@link #descriptor()} instead of the object's fields ({@link SharedReferenceType}).
 */
public abstract class RealShared implements SharedObject, SentByReference {

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

    @Override
    public ReferenceType referenceType() {
        return SharedReferenceType.INSTANCE;
    }

    /**
     * Writes {@link #descriptor()}.
     *
     * @throws SharedObjectClosedException if this object is closed: no other process could map its memory
     * @throws HostBoundException          if the value may reach a process on another host, which cannot
     */
    @Override
    public void writeReference(ReferenceOutput out) throws IOException {
        if (isClosed()) {
            throw new SharedObjectClosedException(out.valueName(), out.valueType(), out.path(), publicType().getName());
        }
        String receiver = out.remoteReceiver();
        if (receiver != null) {
            throw new HostBoundException(out.valueName(), out.valueType(), out.path(), publicType().getName(), receiver,
                    "it lives in this host's shared memory (" + segment.path + "), which " + receiver
                            + " cannot map",
                    "Share state across hosts through the pool's manager instead: pool.manager().list(), .dict()"
                            + " or .namespace() (in a notebook: %pool dict NAME, %pool list NAME), whose proxies work"
                            + " from every host; or send it only to workers on"
                            + " this host (WorkerPool.submitOnWorkers, %%parallel --targets).");
        }
        descriptor().writeTo(out);
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
