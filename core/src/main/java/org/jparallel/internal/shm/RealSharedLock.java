package org.jparallel.internal.shm;

import org.jparallel.api.SharedLock;
import org.jparallel.api.SharedObject;

import java.time.Duration;

/** A {@link SharedLock}: a segment of its own, or the lock word of a value's or array's segment. */
final class RealSharedLock extends RealShared implements SharedLock {

    final LockWord word;
    private final boolean embedded;

    /** The lock at {@link Layout#LOCK_AT} of {@code segment}; {@code embedded} if it belongs to a value or array. */
    RealSharedLock(Segment segment, boolean embedded) {
        super(segment);
        this.word = new LockWord(segment.buffer, Layout.LOCK_AT, (segment.flags & Layout.FLAG_REENTRANT) != 0);
        this.embedded = embedded;
    }

    @Override
    public Descriptor descriptor() {
        return embedded
                ? new Descriptor(Kind.RLOCK, segment.path.toString(), Layout.LOCK_AT, 0)
                : super.descriptor();
    }

    @Override
    public Class<? extends SharedObject> publicType() {
        return SharedLock.class;
    }

    @Override
    public void close() {
        if (!embedded) {
            super.close();
        }
    }

    @Override
    public void acquire() {
        checkOpen();
        word.acquire(-1);
    }

    @Override
    public boolean acquire(Duration timeout) {
        checkOpen();
        return word.acquire(Backoff.nanos(timeout));
    }

    @Override
    public boolean tryAcquire() {
        checkOpen();
        return word.acquire(0);
    }

    @Override
    public void release() {
        checkOpen();
        word.release();
    }

    @Override
    public Hold hold() {
        acquire();
        return new Hold() {
            private boolean released;

            @Override
            public boolean ownerDied() {
                return !released && word.deadOwner() != 0;
            }

            @Override
            public void close() {
                if (!released) {
                    released = true;
                    word.release();
                }
            }
        };
    }

    @Override
    public boolean isReentrant() {
        return word.reentrant;
    }

    @Override
    public boolean isLocked() {
        checkOpen();
        return word.isLocked();
    }

    @Override
    public boolean isHeldByCurrentThread() {
        checkOpen();
        return word.isHeldByCurrentThread();
    }

    @Override
    public boolean ownerDied() {
        return deadOwnerPid() != 0;
    }

    @Override
    public long deadOwnerPid() {
        checkOpen();
        return word.deadOwner();
    }

    @Override
    public String toString() {
        return (word.reentrant ? "SharedLock(reentrant, " : "SharedLock(") + (isClosed() ? "closed" : word.state()) + ")";
    }
}
