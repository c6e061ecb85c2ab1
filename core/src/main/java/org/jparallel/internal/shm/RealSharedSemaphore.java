package org.jparallel.internal.shm;

import org.jparallel.api.SharedObject;
import org.jparallel.api.SharedSemaphore;
import org.jparallel.api.TooManyReleasesException;

import java.time.Duration;

/**
 * A {@link SharedSemaphore}: the count of permits at {@link SyncLayout#PERMITS_AT}, taken by a
 * compare-and-set from a positive count and given back by one; the initial count, the bound of a bounded
 * semaphore, beside it.
 */
final class RealSharedSemaphore extends RealShared implements SharedSemaphore {

    private final boolean bounded;
    private final int initial;

    RealSharedSemaphore(Segment segment) {
        super(segment);
        this.bounded = segment.kind == Kind.BOUNDED_SEMAPHORE;
        this.initial = (int) Access.INT.getVolatile(buffer, SyncLayout.INITIAL_PERMITS_AT);
    }

    /** Writes the initial count of a new semaphore's segment. */
    static RealSharedSemaphore create(Segment segment, int permits) {
        Access.INT.setVolatile(segment.buffer, SyncLayout.INITIAL_PERMITS_AT, permits);
        Access.INT.setVolatile(segment.buffer, SyncLayout.PERMITS_AT, permits);
        return new RealSharedSemaphore(segment);
    }

    @Override
    public Class<? extends SharedObject> publicType() {
        return SharedSemaphore.class;
    }

    private int permits() {
        return (int) Access.INT.getVolatile(buffer, SyncLayout.PERMITS_AT);
    }

    private boolean take() {
        int seen = permits();
        while (seen > 0) {
            int witness = (int) Access.INT.compareAndExchange(buffer, SyncLayout.PERMITS_AT, seen, seen - 1);
            if (witness == seen) {
                return true;
            }
            seen = witness;
        }
        return false;
    }

    private boolean acquire(long timeoutNanos) {
        checkOpen();
        return Backoff.until(timeoutNanos, () -> "a permit of " + this, this::take);
    }

    @Override
    public void acquire() {
        acquire(-1);
    }

    @Override
    public boolean acquire(Duration timeout) {
        return acquire(Backoff.nanos(timeout));
    }

    @Override
    public boolean tryAcquire() {
        return acquire(0);
    }

    @Override
    public void release() {
        checkOpen();
        int limit = bounded ? initial : Integer.MAX_VALUE;
        int seen = permits();
        while (true) {
            if (seen >= limit) {
                throw new TooManyReleasesException(bounded
                        ? "released more often than acquired: this bounded semaphore already has its " + initial
                                + " permits (Python's BoundedSemaphore raises ValueError here)"
                        : "a semaphore cannot hold more than " + Integer.MAX_VALUE + " permits");
            }
            int witness = (int) Access.INT.compareAndExchange(buffer, SyncLayout.PERMITS_AT, seen, seen + 1);
            if (witness == seen) {
                return;
            }
            seen = witness;
        }
    }

    @Override
    public Permit hold() {
        acquire();
        return new Permit() {
            private boolean released;

            @Override
            public void close() {
                if (!released) {
                    released = true;
                    release();
                }
            }
        };
    }

    @Override
    public int availablePermits() {
        checkOpen();
        return permits();
    }

    @Override
    public boolean isBounded() {
        return bounded;
    }

    @Override
    public String toString() {
        return (bounded ? "SharedSemaphore(bounded, " : "SharedSemaphore(")
                + (isClosed() ? "closed" : permits() + " of " + initial + " permits") + ")";
    }
}
