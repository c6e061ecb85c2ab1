package org.jparallel.internal.shm;

import org.jparallel.api.SharedByte;
import org.jparallel.api.SharedObject;

import static org.jparallel.internal.shm.Access.INT;
import static org.jparallel.internal.shm.Layout.VALUE_AT;

/** Stored sign-extended in a 4-byte slot, so that it can be updated with an int compare-and-set. */
final class RealSharedByte extends RealSharedData implements SharedByte {

    RealSharedByte(Segment segment) {
        super(segment);
    }

    @Override
    public Class<? extends SharedObject> publicType() {
        return SharedByte.class;
    }

    private byte read() {
        return (byte) (int) INT.getVolatile(buffer, VALUE_AT);
    }

    @Override
    public byte get() {
        boolean took = lock();
        try {
            return read();
        } finally {
            unlock(took);
        }
    }

    @Override
    public void set(byte value) {
        boolean took = lock();
        try {
            if (lock == null) {
                INT.setVolatile(buffer, VALUE_AT, (int) value);
            } else {
                INT.setRelease(buffer, VALUE_AT, (int) value); // the lock's release orders it
            }
        } finally {
            unlock(took);
        }
    }

    @Override
    public byte getAndSet(byte value) {
        checkOpen();
        return (byte) (int) INT.getAndSet(buffer, VALUE_AT, (int) value);
    }

    @Override
    public boolean compareAndSet(byte expected, byte value) {
        checkOpen();
        return INT.compareAndSet(buffer, VALUE_AT, (int) expected, (int) value);
    }

    @Override
    public byte getAndAdd(byte delta) {
        checkOpen();
        while (true) {
            int old = (int) INT.getVolatile(buffer, VALUE_AT);
            if (INT.compareAndSet(buffer, VALUE_AT, old, (int) (byte) (old + delta))) {
                return (byte) old;
            }
        }
    }

    @Override
    public byte addAndGet(byte delta) {
        return (byte) (getAndAdd(delta) + delta);
    }

    @Override
    public String toString() {
        return isClosed() ? "SharedByte(closed)" : "SharedByte(" + read() + suffix();
    }
}
