package org.jparallel.internal.shm;

import org.jparallel.api.SharedInt;
import org.jparallel.api.SharedObject;

import static org.jparallel.internal.shm.Access.INT;
import static org.jparallel.internal.shm.Layout.VALUE_AT;

final class RealSharedInt extends RealSharedData implements SharedInt {

    RealSharedInt(Segment segment) {
        super(segment);
    }

    @Override
    public Class<? extends SharedObject> publicType() {
        return SharedInt.class;
    }

    @Override
    public int get() {
        boolean took = lock();
        try {
            return (int) INT.getVolatile(buffer, VALUE_AT);
        } finally {
            unlock(took);
        }
    }

    @Override
    public void set(int value) {
        boolean took = lock();
        try {
            if (lock == null) {
                INT.setVolatile(buffer, VALUE_AT, value);
            } else {
                INT.setRelease(buffer, VALUE_AT, value); // the lock's release orders it
            }
        } finally {
            unlock(took);
        }
    }

    @Override
    public int getAndSet(int value) {
        checkOpen();
        return (int) INT.getAndSet(buffer, VALUE_AT, value);
    }

    @Override
    public boolean compareAndSet(int expected, int value) {
        checkOpen();
        return INT.compareAndSet(buffer, VALUE_AT, expected, value);
    }

    @Override
    public int getAndAdd(int delta) {
        checkOpen();
        return (int) INT.getAndAdd(buffer, VALUE_AT, delta);
    }

    @Override
    public int addAndGet(int delta) {
        return getAndAdd(delta) + delta;
    }

    @Override
    public int incrementAndGet() {
        return getAndAdd(1) + 1;
    }

    @Override
    public int decrementAndGet() {
        return getAndAdd(-1) - 1;
    }

    @Override
    public String toString() {
        return isClosed() ? "SharedInt(closed)" : "SharedInt(" + INT.getVolatile(buffer, VALUE_AT) + suffix();
    }
}
