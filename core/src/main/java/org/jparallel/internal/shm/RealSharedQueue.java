package org.jparallel.internal.shm;

import org.jparallel.api.QueueEmptyException;
import org.jparallel.api.QueueFullException;
import org.jparallel.api.SharedObject;
import org.jparallel.api.SharedQueue;
import org.jparallel.api.SharedSimpleQueue;

import java.time.Duration;
import java.util.Objects;

/** A {@link SharedQueue} or {@link SharedSimpleQueue}: one {@link Ring} in a segment of its own. */
class RealSharedQueue<E> extends RealSharedChannel implements SharedQueue<E> {

    private static final Runnable NOTHING = () -> { };

    final Ring ring;
    private final int maxsize;

    RealSharedQueue(Segment segment, ClassLoader loader) {
        super(segment, loader);
        this.ring = ring(0);
        this.maxsize = buffer.getInt(ChannelLayout.MAXSIZE_AT);
    }

    @Override
    public Class<? extends SharedObject> publicType() {
        return segment.kind == Kind.SIMPLE_QUEUE ? SharedSimpleQueue.class : SharedQueue.class;
    }

    @Override
    String noun() {
        return "queue";
    }

    /** Runs under the producer lock just before an item becomes visible. */
    Runnable beforePublish() {
        return NOTHING;
    }

    private boolean write(E item, long timeoutNanos) {
        Objects.requireNonNull(item, "a shared queue's item cannot be null (take an Optional, a record or a"
                + " sentinel value of your own to mean \"nothing\")");
        checkUsable();
        byte[] bytes = encode(item, "item", ring, () -> segment.kind == Kind.SIMPLE_QUEUE
                ? "Shared.simpleQueue(#)" : "Shared.queue(" + maxsize + ", #)");
        return ring.write(bytes, maxsize == 0 ? Integer.MAX_VALUE : maxsize, timeoutNanos, beforePublish(),
                this::checkUsable);
    }

    @SuppressWarnings("unchecked")
    private E read(long timeoutNanos) {
        checkUsable();
        byte[] bytes = ring.read(timeoutNanos, this::checkUsable);
        return bytes == null ? null : (E) decode(bytes);
    }

    @Override
    public void put(E item) {
        write(item, -1);
    }

    @Override
    public void put(E item, Duration timeout) {
        if (!write(item, Backoff.nanos(timeout))) {
            throw new QueueFullException("the queue stayed full for " + timeout + " (" + describe() + ")");
        }
    }

    @Override
    public boolean offer(E item) {
        return write(item, 0);
    }

    @Override
    public boolean offer(E item, Duration timeout) {
        return write(item, Backoff.nanos(timeout));
    }

    @Override
    public E get() {
        return read(-1);
    }

    @Override
    public E get(Duration timeout) {
        E item = read(Backoff.nanos(timeout));
        if (item == null) {
            throw new QueueEmptyException("the queue stayed empty for " + timeout);
        }
        return item;
    }

    @Override
    public E poll() {
        return read(0);
    }

    @Override
    public E poll(Duration timeout) {
        return read(Backoff.nanos(timeout));
    }

    @Override
    public int size() {
        checkUsable();
        return ring.size();
    }

    @Override
    public boolean isEmpty() {
        checkUsable();
        return ring.isEmpty();
    }

    @Override
    public boolean isFull() {
        return maxsize > 0 && size() >= maxsize;
    }

    @Override
    public int maxsize() {
        return maxsize;
    }

    @Override
    public int capacity() {
        return ring.capacity();
    }

    private String describe() {
        return ring.size() + " items" + (maxsize > 0 ? " of at most " + maxsize : "") + ", ring of "
                + ring.capacity() + " bytes";
    }

    @Override
    public String toString() {
        return publicType().getSimpleName() + "(" + (isClosed() ? "closed" : describe()) + ")";
    }
}
