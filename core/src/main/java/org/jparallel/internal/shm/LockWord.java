package org.jparallel.internal.shm;

import java.nio.ByteBuffer;
import java.util.concurrent.CancellationException;

/**
 * A lock that works across processes: 16 bytes of a segment ({@link Layout#LOCK_AT}).
 *
 * <p>The owner word holds {@code pid << 32 | thread id} of the holder, 0 when free; taking the lock is
 * a compare-and-set from 0. A waiter polls with the {@link Backoff} that every shared wait uses: at most
 * 0.1 ms between polls during the first 10 ms of its wait, so it notices the end of a short hold (a bulk
 * copy, say) soon, then at most 1 ms, so a lock held for long costs its waiters almost nothing. While it
 * waits it checks, at most once per millisecond, whether the owner's process is still running; if not,
 * it takes the lock over with a compare-and-set from that owner and records the dead owner's pid, which the new holder can read ({@link #deadOwner()}) — the lock is never held
 * forever by a process that died (Python's {@code terminate()} problem), and the holder learns that
 * the data it protects may be half-updated. Only other processes are checked: a thread of this
 * process that ends while holding the lock keeps it, as with {@link java.util.concurrent.locks.ReentrantLock}.
 *
 * <p>A reentrant lock counts the holds beyond the first and is released by its owning thread only; a
 * plain lock may be released by any thread or process, like Python's {@code Lock}. The common path
 * is short, because worker JVMs run C1-compiled code where each atomic access costs a few
 * nanoseconds: taking a free lock is one read and one compare-and-set (the count and the dead-owner
 * pid are already 0); releasing it reads the owner and the count, clears the dead-owner pid and
 * clears the owner with a release store.
 */
final class LockWord {

    private static final long LIVENESS_EVERY_NS = 1_000_000;

    private final ByteBuffer buffer;
    private final int owner;
    private final int count;
    private final int deadOwner;
    final boolean reentrant;

    /** The lock word at {@code offset} of {@code buffer}. */
    LockWord(ByteBuffer buffer, int offset, boolean reentrant) {
        this.buffer = buffer;
        this.owner = offset + Layout.OWNER;
        this.count = offset + Layout.COUNT;
        this.deadOwner = offset + Layout.DEAD_OWNER;
        this.reentrant = reentrant;
    }

    /** The owner word for the calling thread. */
    static long self() {
        return Pids.CURRENT << 32 | (Thread.currentThread().getId() & 0xFFFF_FFFFL);
    }

    private long ownerWord() {
        return (long) Access.LONG.getVolatile(buffer, owner);
    }

    /**
     * Takes the lock, waiting at most {@code timeoutNanos} (negative: for ever; 0: not at all).
     *
     * @return whether the lock is now held by the calling thread
     * @throws CancellationException if the thread is interrupted while it waits (its interrupt flag stays set)
     */
    boolean acquire(long timeoutNanos) {
        long me = self();
        long current = ownerWord();
        if (current == me && reentrant) {
            Access.INT.set(buffer, count, (int) Access.INT.get(buffer, count) + 1);
            return true;
        }
        if (current == 0 && Access.LONG.compareAndSet(buffer, owner, 0L, me)) {
            return true;
        }
        if (timeoutNanos == 0) {
            return current != 0 && takeOverIfDead(current, me);
        }
        return await(me, timeoutNanos);
    }

    private boolean await(long me, long timeoutNanos) {
        Backoff backoff = new Backoff(timeoutNanos, () -> "a shared lock " + state());
        long checkedOwner = 0;
        do {
            long current = ownerWord();
            if (current == 0) {
                if (Access.LONG.compareAndSet(buffer, owner, 0L, me)) {
                    return true;
                }
            } else if ((current != checkedOwner && !backoff.spinning()) || backoff.due(LIVENESS_EVERY_NS)) {
                checkedOwner = current;
                if (takeOverIfDead(current, me)) {
                    return true;
                }
            }
        } while (backoff.pause());
        return false;
    }

    /** If the process in {@code seen} is gone, takes the lock from it. */
    private boolean takeOverIfDead(long seen, long me) {
        long pid = seen >>> 32;
        if (pid == Pids.CURRENT || Pids.isAlive(pid)) {
            return false;
        }
        if (Access.LONG.compareAndSet(buffer, owner, seen, me)) {
            Access.INT.set(buffer, count, 0); // whatever the dead owner's nesting was
            Access.INT.set(buffer, deadOwner, (int) pid);
            return true;
        }
        return false;
    }

    /**
     * For a value's or array's own accesses: takes the (reentrant) lock unless the calling thread holds it
     * already, and says whether it took it, that is, whether to {@link #release()} it afterwards.
     */
    boolean acquireUnlessHeld() {
        long me = self();
        long current = ownerWord();
        if (current == me) {
            return false;
        }
        if (current != 0 || !Access.LONG.compareAndSet(buffer, owner, 0L, me)) {
            await(me, -1);
        }
        return true;
    }

    /**
     * Releases one hold.
     *
     * @throws IllegalMonitorStateException if the lock is not held, or (reentrant) not by this thread
     */
    void release() {
        long current = ownerWord();
        if (current == 0) {
            throw new IllegalMonitorStateException("the shared lock is not held (released more often than acquired)");
        }
        if (reentrant) {
            if (current != self()) {
                throw new IllegalMonitorStateException("the shared lock is held by " + describe(current)
                        + ", not by this thread (" + describe(self()) + "); a reentrant lock is released by its owner");
            }
            int extra = (int) Access.INT.get(buffer, count);
            if (extra > 0) {
                Access.INT.set(buffer, count, extra - 1);
                return;
            }
        }
        Access.INT.set(buffer, deadOwner, 0); // the count is 0 already
        if (reentrant) {
            Access.LONG.setRelease(buffer, owner, 0L);
        } else if (!Access.LONG.compareAndSet(buffer, owner, current, 0L)) {
            throw new IllegalMonitorStateException("the shared lock was released twice at the same time");
        }
    }

    /**
     * Releases every hold of the calling thread at once, for a condition's wait, and returns how many
     * holds {@link #reacquire(int)} must give back.
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock
     */
    int releaseAll() {
        long current = ownerWord();
        if (current != self()) {
            throw new IllegalMonitorStateException("the shared lock is " + state() + ", not by this thread ("
                    + describe(self()) + "): take it first, e.g. try (var held = condition.hold()) { … }");
        }
        int holds = reentrant ? (int) Access.INT.get(buffer, count) + 1 : 1;
        Access.INT.set(buffer, count, 0);
        Access.INT.set(buffer, deadOwner, 0);
        Access.LONG.setRelease(buffer, owner, 0L);
        return holds;
    }

    /**
     * Takes the lock back after {@link #releaseAll()}, with as many holds, waiting as long as it takes even
     * if the thread is interrupted meanwhile (its interrupt flag is set again afterwards): a condition's
     * wait ends holding the lock however it ends.
     */
    void reacquire(int holds) {
        boolean interrupted = Thread.interrupted();
        try {
            while (true) {
                try {
                    acquire(-1);
                    break;
                } catch (CancellationException e) {
                    interrupted |= Thread.interrupted();
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        Access.INT.set(buffer, count, holds - 1);
    }

    boolean isLocked() {
        return ownerWord() != 0;
    }

    boolean isHeldByCurrentThread() {
        return ownerWord() == self();
    }

    /** The pid of the dead process the current holder took the lock from, or 0. */
    int deadOwner() {
        long current = ownerWord();
        return current == 0 ? 0 : (int) Access.INT.getVolatile(buffer, deadOwner);
    }

    /** The holder's pid, or 0 when free. */
    long ownerPid() {
        return ownerWord() >>> 32;
    }

    String state() {
        long current = ownerWord();
        return current == 0 ? "free" : "held by " + describe(current);
    }

    private static String describe(long word) {
        return "pid " + (word >>> 32) + " thread " + (word & 0xFFFF_FFFFL);
    }
}
