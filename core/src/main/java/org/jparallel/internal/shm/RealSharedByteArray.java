package org.jparallel.internal.shm;

import org.jparallel.api.SharedByteArray;
import org.jparallel.api.SharedObject;

import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.Objects;

import static org.jparallel.internal.shm.Access.INT;

/**
 * Bytes have no atomic view of their own: an element is read through its aligned 4-byte word (a
 * volatile read), written as a single byte between fences, and updated atomically by a compare-and-set
 * of that word that leaves the three neighbours as they are.
 */
final class RealSharedByteArray extends RealSharedData implements SharedByteArray {

    private final int length;
    /** The elements as a buffer of their own, for bulk copies (absolute, so safe from any thread). */
    private final ByteBuffer elements;

    RealSharedByteArray(Segment segment) {
        super(segment);
        this.length = segment.length;
        this.elements = buffer.slice(Layout.ARRAY_AT, length);
    }

    @Override
    public Class<? extends SharedObject> publicType() {
        return SharedByteArray.class;
    }

    @Override
    public int length() {
        return length;
    }

    private static int wordAt(int index) {
        return Layout.ARRAY_AT + (index & ~3);
    }

    private byte read(int index) {
        return (byte) ((int) INT.getVolatile(buffer, wordAt(index)) >> Access.byteShift(index));
    }

    @Override
    public byte get(int index) {
        Objects.checkIndex(index, length);
        boolean took = lock();
        try {
            return read(index);
        } finally {
            unlock(took);
        }
    }

    @Override
    public void set(int index, byte value) {
        Objects.checkIndex(index, length);
        boolean took = lock();
        try {
            VarHandle.releaseFence();
            elements.put(index, value);
            VarHandle.fullFence();
        } finally {
            unlock(took);
        }
    }

    @Override
    public byte[] toArray() {
        byte[] copy = new byte[length];
        copyTo(0, copy, 0, length);
        return copy;
    }

    @Override
    public void copyTo(int from, byte[] target, int targetIndex, int count) {
        readBulk(length, from, target.length, targetIndex, count, () -> elements.get(from, target, targetIndex, count));
    }

    @Override
    public void copyTo(byte[] target) {
        copyTo(0, target, 0, target.length);
    }

    @Override
    public void copyFrom(byte[] source, int sourceIndex, int to, int count) {
        writeBulk(length, to, source.length, sourceIndex, count, () -> elements.put(to, source, sourceIndex, count));
    }

    @Override
    public void copyFrom(byte[] source) {
        copyFrom(source, 0, 0, source.length);
    }

    /** Atomically replaces element {@code index} with {@code update(old)}; returns the old value. */
    private byte update(int index, byte operand, boolean add) {
        Objects.checkIndex(index, length);
        checkOpen();
        int at = wordAt(index);
        int shift = Access.byteShift(index);
        while (true) {
            int word = (int) INT.getVolatile(buffer, at);
            byte old = (byte) (word >> shift);
            byte updated = add ? (byte) (old + operand) : operand;
            int next = (word & ~(0xFF << shift)) | ((updated & 0xFF) << shift);
            if (INT.compareAndSet(buffer, at, word, next)) {
                return old;
            }
        }
    }

    @Override
    public byte getAndSet(int index, byte value) {
        return update(index, value, false);
    }

    @Override
    public boolean compareAndSet(int index, byte expected, byte value) {
        Objects.checkIndex(index, length);
        checkOpen();
        int at = wordAt(index);
        int shift = Access.byteShift(index);
        while (true) {
            int word = (int) INT.getVolatile(buffer, at);
            if ((byte) (word >> shift) != expected) {
                return false;
            }
            int next = (word & ~(0xFF << shift)) | ((value & 0xFF) << shift);
            if (INT.compareAndSet(buffer, at, word, next)) {
                return true;
            }
        }
    }

    @Override
    public byte getAndAdd(int index, byte delta) {
        return update(index, delta, true);
    }

    @Override
    public byte addAndGet(int index, byte delta) {
        return (byte) (getAndAdd(index, delta) + delta);
    }

    @Override
    public String toString() {
        return isClosed() ? "SharedByteArray(closed)" : "SharedByteArray(length " + length + suffix();
    }
}
