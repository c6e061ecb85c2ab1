package org.jparallel.internal.shm;

import org.jparallel.api.SharedDouble;
import org.jparallel.api.SharedObject;

import static org.jparallel.internal.shm.Access.LONG;
import static org.jparallel.internal.shm.Layout.VALUE_AT;

/** Stored as the bits of the double, so that compare-and-set works on them. */
final class RealSharedDouble extends RealSharedData implements SharedDouble {

    RealSharedDouble(Segment segment) {
        super(segment);
    }

    @Override
    public Class<? extends SharedObject> publicType() {
        return SharedDouble.class;
    }

    private double read() {
        return Double.longBitsToDouble((long) LONG.getVolatile(buffer, VALUE_AT));
    }

    @Override
    public double get() {
        boolean took = lock();
        try {
            return read();
        } finally {
            unlock(took);
        }
    }

    @Override
    public void set(double value) {
        boolean took = lock();
        try {
            if (lock == null) {
                LONG.setVolatile(buffer, VALUE_AT, Double.doubleToRawLongBits(value));
            } else {
                LONG.setRelease(buffer, VALUE_AT, Double.doubleToRawLongBits(value)); // the lock's release orders it
            }
        } finally {
            unlock(took);
        }
    }

    @Override
    public double getAndSet(double value) {
        checkOpen();
        return Double.longBitsToDouble((long) LONG.getAndSet(buffer, VALUE_AT, Double.doubleToRawLongBits(value)));
    }

    @Override
    public boolean compareAndSet(double expected, double value) {
        checkOpen();
        return LONG.compareAndSet(buffer, VALUE_AT, Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(value));
    }

    @Override
    public double getAndAdd(double delta) {
        checkOpen();
        while (true) {
            long bits = (long) LONG.getVolatile(buffer, VALUE_AT);
            double old = Double.longBitsToDouble(bits);
            if (LONG.compareAndSet(buffer, VALUE_AT, bits, Double.doubleToRawLongBits(old + delta))) {
                return old;
            }
        }
    }

    @Override
    public double addAndGet(double delta) {
        return getAndAdd(delta) + delta;
    }

    @Override
    public String toString() {
        return isClosed() ? "SharedDouble(closed)" : "SharedDouble(" + read() + suffix();
    }
}
