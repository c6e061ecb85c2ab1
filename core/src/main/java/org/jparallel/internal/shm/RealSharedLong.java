package org.jparallel.internal.shm;

import org.jparallel.api.SharedLong;
import org.jparallel.api.SharedObject;

import static org.jparallel.internal.shm.Access.LONG;
import static org.jparallel.internal.shm.Layout.VALUE_AT;

final class RealSharedLong extends RealSharedData implements SharedLong {

    RealSharedLong(Segment segment) {
        super(segment);
    }

    @Override
    public Class<? extends SharedObject> publicType() {
        return SharedLong.class;
    }

    @Override
    public long get() {
        boolean took = lock();
        try {
            return (long) LONG.getVolatile(buffer, VALUE_AT);
        } finally {
            unlock(took);
        }
    }

    @Override
    public void set(long value) {
        boolean took = lock();
        try {
            if (lock == null) {
                LONG.setVolatile(buffer, VALUE_AT, value);
            } else {
                LONG.setRelease(buffer, VALUE_AT, value); // the lock's release orders it
            }
        } finally {
            unlock(took);
        }
    }

    @Override
    public long getAndSet(long value) {
        checkOpen();
        return (long) LONG.getAndSet(buffer, VALUE_AT, value);
    }

    @Override
    public boolean compareAndSet(long expected, long value) {
        checkOpen();
        return LONG.compareAndSet(buffer, VALUE_AT, expected, value);
    }

    @Override
    public long getAndAdd(long delta) {
        checkOpen();
        return (long) LONG.getAndAdd(buffer, VALUE_AT, delta);
    }

    @Override
    public long addAndGet(long delta) {
        return getAndAdd(delta) + delta;
    }

    @Override
    public long incrementAndGet() {
        return getAndAdd(1) + 1;
    }

    @Override
    public long decrementAndGet() {
        return getAndAdd(-1) - 1;
    }

    @Override
    public String toString() {
        return isClosed() ? "SharedLong(closed)" : "SharedLong(" + LONG.getVolatile(buffer, VALUE_AT) + suffix();
    }
}
