package org.jparallel.internal.shm;

import org.jparallel.api.ItemTooLargeException;
import org.jparallel.api.NotReceivableException;
import org.jparallel.api.NotSendableException;
import org.jparallel.internal.codec.CodecException;
import org.jparallel.internal.codec.ValueCodec;

import java.util.function.Supplier;

/**
 * What queues, pipes and pipe ends share: a channel segment ({@link ChannelLayout}) and the codec that
 * encodes items and decodes them with this process's classes — in a worker, the notebook's classes it
 * was sent ({@link SharedMemory#open(Descriptor, ClassLoader)}).
 *
 * <p>The creator's {@link #close()} marks the channel released in its header before deleting the file,
 * so that other processes still mapping it stop with a clear exception instead of waiting for ever.
 */
abstract class RealSharedChannel extends RealShared {

    private final ValueCodec codec;

    RealSharedChannel(Segment segment, ClassLoader loader) {
        super(segment);
        this.codec = new ValueCodec(loader);
    }

    /** Ring {@code i} of the segment. */
    final Ring ring(int i) {
        int capacity = buffer.getInt(ChannelLayout.CAPACITY_AT);
        return new Ring(buffer, ChannelLayout.ringAt(i, capacity), capacity);
    }

    /** A short name for messages: "queue", "pipe". */
    abstract String noun();

    /**
     * Checks that the channel can still be used here: not closed in this process, not released by its creator.
     *
     * @throws IllegalStateException if it cannot
     */
    void checkUsable() {
        checkOpen();
        if ((int) Access.INT.getVolatile(buffer, ChannelLayout.RELEASED_AT) != 0) {
            throw new IllegalStateException("this " + publicType().getSimpleName() + " was closed by the process"
                    + " that created it (pid " + segment.creator + "): its shared memory is released");
        }
    }

    /**
     * The encoded form of {@code item}, checked to fit in {@code ring}.
     *
     * @throws NotSendableException  if it cannot be sent
     * @throws ItemTooLargeException if it is larger than the ring holds
     */
    final byte[] encode(Object item, String name, Ring ring, Supplier<String> largerFactory) {
        byte[] bytes = codec.encode(item, name);
        if (bytes.length > ring.maxPayload()) {
            throw new ItemTooLargeException("cannot send " + name + ": it takes " + bytes.length + " bytes encoded,"
                    + " and this " + noun() + " carries at most " + ring.maxPayload() + " bytes per " + name
                    + " (its ring holds " + ring.capacity() + " bytes). Make the " + noun() + " with a larger capacity, e.g. "
                    + largerFactory.get().replace("#", Long.toString(Math.max(2L * ring.capacity(), 2L * bytes.length))) + ".",
                    bytes.length, ring.maxPayload());
        }
        return bytes;
    }

    /** The item as this process rebuilds it; one that cannot be rebuilt is consumed all the same. */
    final Object decode(byte[] bytes) {
        try {
            return codec.decode(bytes);
        } catch (CodecException e) {
            throw new NotReceivableException("an item taken from this " + noun() + " cannot be rebuilt here: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (segment.owned && !segment.isClosed()) {
            Access.INT.setVolatile(buffer, ChannelLayout.RELEASED_AT, 1);
        }
        super.close();
    }
}
