package org.jparallel.internal.shm;

import org.jparallel.api.SharedIntArray;
import org.jparallel.api.SharedObject;

import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.util.Objects;

import static org.jparallel.internal.shm.Access.INT;

final class RealSharedIntArray extends RealSharedData implements SharedIntArray {

    private static final int SIZE = 4;
    private final int length;
    /** The elements as a buffer of their own, for bulk copies (absolute, so safe from any thread). */
    private final IntBuffer elements;

    RealSharedIntArray(Segment segment) {
        super(segment);
        this.length = segment.length;
        this.elements = buffer.slice(Layout.ARRAY_AT, length * SIZE).order(ByteOrder.nativeOrder()).asIntBuffer();
    }

    @Override
    public Class<? extends SharedObject> publicType() {
        return SharedIntArray.class;
    }

    @Override
    public int length() {
        return length;
    }

    private int at(int index) {
        return Layout.ARRAY_AT + SIZE * Objects.checkIndex(index, length);
    }

    @Override
    public int get(int index) {
        int at = at(index);
        boolean took = lock();
        try {
            return (int) INT.getVolatile(buffer, at);
        } finally {
            unlock(took);
        }
    }

    @Override
    public void set(int index, int value) {
        int at = at(index);
        boolean took = lock();
        try {
            INT.setVolatile(buffer, at, value);
        } finally {
            unlock(took);
        }
    }

    @Override
    public int[] toArray() {
        int[] copy = new int[length];
        copyTo(0, copy, 0, length);
        return copy;
    }

    @Override
    public void copyTo(int from, int[] target, int targetIndex, int count) {
        readBulk(length, from, target.length, targetIndex, count, () -> elements.get(from, target, targetIndex, count));
    }

    @Override
    public void copyTo(int[] target) {
        copyTo(0, target, 0, target.length);
    }

    @Override
    public void copyFrom(int[] source, int sourceIndex, int to, int count) {
        writeBulk(length, to, source.length, sourceIndex, count, () -> elements.put(to, source, sourceIndex, count));
    }

    @Override
    public void copyFrom(int[] source) {
        copyFrom(source, 0, 0, source.length);
    }

    @Override
    public int getAndSet(int index, int value) {
        int at = at(index);
        checkOpen();
        return (int) INT.getAndSet(buffer, at, value);
    }

    @Override
    public boolean compareAndSet(int index, int expected, int value) {
        int at = at(index);
        checkOpen();
        return INT.compareAndSet(buffer, at, expected, value);
    }

    @Override
    public int getAndAdd(int index, int delta) {
        int at = at(index);
        checkOpen();
        return (int) INT.getAndAdd(buffer, at, delta);
    }

    @Override
    public int addAndGet(int index, int delta) {
        return getAndAdd(index, delta) + delta;
    }

    @Override
    public String toString() {
        return isClosed() ? "SharedIntArray(closed)" : "SharedIntArray(length " + length + suffix();
    }
}
