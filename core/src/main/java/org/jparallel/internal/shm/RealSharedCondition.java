package org.jparallel.internal.shm;

import org.jparallel.api.SharedCondition;
import org.jparallel.api.SharedLock;
import org.jparallel.api.SharedObject;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * A {@link SharedCondition}: {@link WaitSlots} in its segment, and its lock — its own segment's lock word
 * (a segment of length 0), or a lock elsewhere, named in the segment by kind, offset and path (the length
 * is the path's size), so that a process receiving the condition maps the same lock.
 */
final class RealSharedCondition extends RealShared implements SharedCondition {

    private final RealSharedLock lock;
    private final WaitSlots slots;

    RealSharedCondition(Segment segment, RealSharedLock lock) {
        super(segment);
        this.lock = lock;
        this.slots = new WaitSlots(segment.buffer);
    }

    /** Writes the reference to {@code lock} into a new condition's segment, whose length is the lock path's size. */
    static void writeLock(Segment segment, Descriptor lock) {
        segment.buffer.put(SyncLayout.LOCK_PATH_AT, lock.path().getBytes(StandardCharsets.UTF_8));
        segment.buffer.putInt(SyncLayout.LOCK_OFFSET_AT, lock.offset());
        Access.INT.setVolatile(segment.buffer, SyncLayout.LOCK_KIND_AT, lock.kind().code());
    }

    /** The lock a condition's segment names: its own lock word if the segment's length is 0. */
    static Descriptor lockOf(Segment segment) {
        if (segment.length == 0) {
            return new Descriptor(Kind.RLOCK, segment.path.toString(), Layout.LOCK_AT, 0);
        }
        byte[] path = new byte[segment.length];
        segment.buffer.get(SyncLayout.LOCK_PATH_AT, path);
        return new Descriptor(Kind.ofCode((int) Access.INT.getVolatile(segment.buffer, SyncLayout.LOCK_KIND_AT)),
                new String(path, StandardCharsets.UTF_8), segment.buffer.getInt(SyncLayout.LOCK_OFFSET_AT), 0);
    }

    @Override
    public Class<? extends SharedObject> publicType() {
        return SharedCondition.class;
    }

    @Override
    public SharedLock getLock() {
        return lock;
    }

    @Override
    public void acquire() {
        checkOpen();
        lock.acquire();
    }

    @Override
    public boolean acquire(Duration timeout) {
        checkOpen();
        return lock.acquire(timeout);
    }

    @Override
    public void release() {
        checkOpen();
        lock.release();
    }

    @Override
    public SharedLock.Hold hold() {
        checkOpen();
        return lock.hold();
    }

    private boolean await(long timeoutNanos) {
        checkOpen();
        lock.checkOpen();
        requireHeld("await");
        WaitSlots.Waiter waiter = slots.enqueue();
        int holds = lock.word.releaseAll();
        try {
            return slots.await(waiter, timeoutNanos);
        } finally {
            lock.word.reacquire(holds);
        }
    }

    @Override
    public void await() {
        await(-1);
    }

    @Override
    public boolean await(Duration timeout) {
        return await(Backoff.nanos(timeout));
    }

    @Override
    public void awaitUntil(BooleanSupplier predicate) {
        while (!predicate.getAsBoolean()) {
            await(-1);
        }
    }

    @Override
    public boolean awaitUntil(BooleanSupplier predicate, Duration timeout) {
        long nanos = Backoff.nanos(timeout);
        long start = System.nanoTime();
        boolean result = predicate.getAsBoolean();
        while (!result) {
            long left = nanos - (System.nanoTime() - start);
            if (left <= 0) {
                break;
            }
            await(left);
            result = predicate.getAsBoolean();
        }
        return result;
    }

    @Override
    public void signal() {
        checkOpen();
        requireHeld("signal");
        slots.signalOne();
    }

    @Override
    public void signalAll() {
        checkOpen();
        requireHeld("signalAll");
        slots.signalAll();
    }

    private void requireHeld(String method) {
        if (!lock.word.isHeldByCurrentThread()) {
            throw new IllegalMonitorStateException(method + "() needs the condition's lock held by this thread,"
                    + " but it is " + lock.word.state() + "; call it inside try (var held = condition.hold()) { … }");
        }
    }

    /** How many threads wait now. */
    int waiters() {
        return slots.waiting();
    }

    @Override
    public String toString() {
        return "SharedCondition(" + (isClosed() ? "closed" : waiters() + " waiting, lock " + lock.word.state()) + ")";
    }
}
