package org.jparallel.internal.shm;

import org.jparallel.api.SharedDoubleArray;
import org.jparallel.api.SharedObject;

import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.util.Objects;

import static org.jparallel.internal.shm.Access.LONG;

/** Elements are read and updated atomically through their bits. */
final class RealSharedDoubleArray extends RealSharedData implements SharedDoubleArray {

    private static final int SIZE = 8;
    private final int length;
    /** The elements as a buffer of their own, for bulk copies (absolute, so safe from any thread). */
    private final DoubleBuffer elements;

    RealSharedDoubleArray(Segment segment) {
        super(segment);
        this.length = segment.length;
        this.elements = buffer.slice(Layout.ARRAY_AT, length * SIZE).order(ByteOrder.nativeOrder()).asDoubleBuffer();
    }

    @Override
    public Class<? extends SharedObject> publicType() {
        return SharedDoubleArray.class;
    }

    @Override
    public int length() {
        return length;
    }

    private int at(int index) {
        return Layout.ARRAY_AT + SIZE * Objects.checkIndex(index, length);
    }

    private static long bits(double value) {
        return Double.doubleToRawLongBits(value);
    }

    @Override
    public double get(int index) {
        int at = at(index);
        boolean took = lock();
        try {
            return Double.longBitsToDouble((long) LONG.getVolatile(buffer, at));
        } finally {
            unlock(took);
        }
    }

    @Override
    public void set(int index, double value) {
        int at = at(index);
        boolean took = lock();
        try {
            LONG.setVolatile(buffer, at, bits(value));
        } finally {
            unlock(took);
        }
    }

    @Override
    public double[] toArray() {
        double[] copy = new double[length];
        copyTo(0, copy, 0, length);
        return copy;
    }

    @Override
    public void copyTo(int from, double[] target, int targetIndex, int count) {
        readBulk(length, from, target.length, targetIndex, count, () -> elements.get(from, target, targetIndex, count));
    }

    @Override
    public void copyTo(double[] target) {
        copyTo(0, target, 0, target.length);
    }

    @Override
    public void copyFrom(double[] source, int sourceIndex, int to, int count) {
        writeBulk(length, to, source.length, sourceIndex, count, () -> elements.put(to, source, sourceIndex, count));
    }

    @Override
    public void copyFrom(double[] source) {
        copyFrom(source, 0, 0, source.length);
    }

    @Override
    public double getAndSet(int index, double value) {
        int at = at(index);
        checkOpen();
        return Double.longBitsToDouble((long) LONG.getAndSet(buffer, at, bits(value)));
    }

    @Override
    public boolean compareAndSet(int index, double expected, double value) {
        int at = at(index);
        checkOpen();
        return LONG.compareAndSet(buffer, at, bits(expected), bits(value));
    }

    @Override
    public double getAndAdd(int index, double delta) {
        int at = at(index);
        checkOpen();
        while (true) {
            long old = (long) LONG.getVolatile(buffer, at);
            double value = Double.longBitsToDouble(old);
            if (LONG.compareAndSet(buffer, at, old, bits(value + delta))) {
                return value;
            }
        }
    }

    @Override
    public double addAndGet(int index, double delta) {
        return getAndAdd(index, delta) + delta;
    }

    @Override
    public String toString() {
        return isClosed() ? "SharedDoubleArray(closed)" : "SharedDoubleArray(length " + length + suffix();
    }
}
