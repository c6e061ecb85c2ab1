package org.jparallel.internal.shm;

import org.jparallel.api.SharedLock;

import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * A value or an array: data after the header, and the segment's reentrant lock unless raw. Subclasses
 * take the lock around plain gets, sets and bulk copies ({@link #lock()}, {@link #unlock()}); atomic
 * updates never take it.
 */
abstract class RealSharedData extends RealShared {

    /** The lock word, or null for raw data. */
    final LockWord lock;
    private final RealSharedLock lockObject;

    RealSharedData(Segment segment) {
        super(segment);
        this.lockObject = segment.hasLock() ? new RealSharedLock(segment, true) : null;
        this.lock = lockObject == null ? null : lockObject.word;
    }

    public final char typecode() {
        return segment.kind.typecode();
    }

    public final boolean hasLock() {
        return lock != null;
    }

    public final SharedLock getLock() {
        if (lockObject == null) {
            throw new IllegalStateException("a raw " + publicType().getSimpleName() + " has no lock;"
                    + " make it with Shared." + (segment.kind.isArray() ? "array" : "value") + "(…) to have one");
        }
        return lockObject;
    }

    /**
     * Checks that the object is open and takes the lock, if there is one and this thread does not hold
     * it already (inside {@code hold()} the lock is not taken again); returns whether it took it.
     */
    final boolean lock() {
        checkOpen();
        return lock != null && lock.acquireUnlessHeld();
    }

    /** Releases the lock if {@link #lock()} took it. */
    final void unlock(boolean took) {
        if (took) {
            lock.release();
        }
    }

    /**
     * A bulk read of {@code count} elements from index {@code from} (of {@code length}) into an array of
     * {@code targetLength} at {@code targetIndex}: bounds checked, then {@code copy} under the lock.
     */
    final void readBulk(int length, int from, int targetLength, int targetIndex, int count, Runnable copy) {
        Objects.checkFromIndexSize(from, count, length);
        Objects.checkFromIndexSize(targetIndex, count, targetLength);
        boolean took = lock();
        try {
            copy.run();
            VarHandle.acquireFence();
        } finally {
            unlock(took);
        }
    }

    /**
     * A bulk write of {@code count} elements from an array of {@code sourceLength} at {@code sourceIndex}
     * to index {@code to} (of {@code length}): bounds checked, then {@code copy} under the lock.
     */
    final void writeBulk(int length, int to, int sourceLength, int sourceIndex, int count, Runnable copy) {
        Objects.checkFromIndexSize(sourceIndex, count, sourceLength);
        Objects.checkFromIndexSize(to, count, length);
        boolean took = lock();
        try {
            VarHandle.releaseFence();
            copy.run();
            VarHandle.fullFence();
        } finally {
            unlock(took);
        }
    }

    /** How toString ends: the lock, or that the data is raw. */
    final String suffix() {
        return lock == null ? ", raw)" : ")";
    }
}
