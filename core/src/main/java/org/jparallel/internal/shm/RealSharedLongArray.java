package org.jparallel.internal.shm;

import org.jparallel.api.SharedLongArray;
import org.jparallel.api.SharedObject;

import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.util.Objects;

import static org.jparallel.internal.shm.Access.LONG;

final class RealSharedLongArray extends RealSharedData implements SharedLongArray {

    private static final int SIZE = 8;
    private final int length;
    /** The elements as a buffer of their own, for bulk copies (absolute, so safe from any thread). */
    private final LongBuffer elements;

    RealSharedLongArray(Segment segment) {
        super(segment);
        this.length = segment.length;
        this.elements = buffer.slice(Layout.ARRAY_AT, length * SIZE).order(ByteOrder.nativeOrder()).asLongBuffer();
    }

    @Override
    public Class<? extends SharedObject> publicType() {
        return SharedLongArray.class;
    }

    @Override
    public int length() {
        return length;
    }

    private int at(int index) {
        return Layout.ARRAY_AT + SIZE * Objects.checkIndex(index, length);
    }

    @Override
    public long get(int index) {
        int at = at(index);
        boolean took = lock();
        try {
            return (long) LONG.getVolatile(buffer, at);
        } finally {
            unlock(took);
        }
    }

    @Override
    public void set(int index, long value) {
        int at = at(index);
        boolean took = lock();
        try {
            LONG.setVolatile(buffer, at, value);
        } finally {
            unlock(took);
        }
    }

    @Override
    public long[] toArray() {
        long[] copy = new long[length];
        copyTo(0, copy, 0, length);
        return copy;
    }

    @Override
    public void copyTo(int from, long[] target, int targetIndex, int count) {
        readBulk(length, from, target.length, targetIndex, count, () -> elements.get(from, target, targetIndex, count));
    }

    @Override
    public void copyTo(long[] target) {
        copyTo(0, target, 0, target.length);
    }

    @Override
    public void copyFrom(long[] source, int sourceIndex, int to, int count) {
        writeBulk(length, to, source.length, sourceIndex, count, () -> elements.put(to, source, sourceIndex, count));
    }

    @Override
    public void copyFrom(long[] source) {
        copyFrom(source, 0, 0, source.length);
    }

    @Override
    public long getAndSet(int index, long value) {
        int at = at(index);
        checkOpen();
        return (long) LONG.getAndSet(buffer, at, value);
    }

    @Override
    public boolean compareAndSet(int index, long expected, long value) {
        int at = at(index);
        checkOpen();
        return LONG.compareAndSet(buffer, at, expected, value);
    }

    @Override
    public long getAndAdd(int index, long delta) {
        int at = at(index);
        checkOpen();
        return (long) LONG.getAndAdd(buffer, at, delta);
    }

    @Override
    public long addAndGet(int index, long delta) {
        return getAndAdd(index, delta) + delta;
    }

    @Override
    public String toString() {
        return isClosed() ? "SharedLongArray(closed)" : "SharedLongArray(length " + length + suffix();
    }
}
