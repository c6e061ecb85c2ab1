package org.jparallel.internal.shm;

import java.nio.ByteBuffer;
import java.util.concurrent.CancellationException;

/**
 * The waiters of a condition: {@link SyncLayout#SLOTS} slots in shared memory, one per waiting thread of
 * any process, each {@code pid << 32 | ticket << 2 | state}. A waiter takes a free slot (state waiting,
 * the next ticket) while it still holds the condition's lock, then polls it; a signal turns the waiting
 * slot with the oldest ticket to signalled, and the waiter frees it. A waiter whose time runs out frees
 * its slot with a compare-and-set from waiting, so a signal and a timeout never both claim it.
 *
 * <p>A slot whose process died is recovered by the waiters still waiting, who look every 10 ms: a waiting
 * one is freed, a signalled one is freed and its signal given to the oldest waiter left.
 */
final class WaitSlots {

    private static final long DEAD_CHECK_EVERY_NS = 10_000_000;
    private static final long FREE = 0;
    private static final int WAITING = 1;
    private static final int SIGNALLED = 2;
    private static final int TICKET_BITS = 30;

    /** A slot taken by {@link #enqueue()}: where, and what it holds while its thread waits. */
    record Waiter(int index, long waiting) {
    }

    private final ByteBuffer buffer;

    WaitSlots(ByteBuffer buffer) {
        this.buffer = buffer;
    }

    private static int at(int index) {
        return SyncLayout.SLOTS_AT + 8 * index;
    }

    private long slot(int index) {
        return (long) Access.LONG.getVolatile(buffer, at(index));
    }

    private boolean swap(int index, long from, long to) {
        return Access.LONG.compareAndSet(buffer, at(index), from, to);
    }

    private int used() {
        return (int) Access.INT.getVolatile(buffer, SyncLayout.SLOTS_USED_AT);
    }

    private static int state(long slot) {
        return (int) slot & 3;
    }

    /** Whether {@code a}'s ticket was handed out before {@code b}'s, allowing for wrap-around. */
    private static boolean older(long a, long b) {
        int shift = 64 - TICKET_BITS;
        return (((a >>> 2) - (b >>> 2)) << shift) < 0;
    }

    /**
     * Takes a slot for the calling thread, which holds the condition's lock.
     *
     * @throws IllegalStateException if every slot is taken by a live waiter
     */
    Waiter enqueue() {
        long ticket = (long) Access.LONG.getAndAdd(buffer, SyncLayout.NEXT_TICKET_AT, 1L) & ((1L << TICKET_BITS) - 1);
        long waiting = Pids.CURRENT << 32 | ticket << 2 | WAITING;
        for (int attempt = 0; attempt < 2; attempt++) {
            for (int i = 0; i < SyncLayout.SLOTS; i++) {
                if (slot(i) == FREE && swap(i, FREE, waiting)) {
                    int used = used();
                    while (used <= i && !Access.INT.compareAndSet(buffer, SyncLayout.SLOTS_USED_AT, used, i + 1)) {
                        used = used();
                    }
                    return new Waiter(i, waiting);
                }
            }
            recoverDead();
        }
        throw new IllegalStateException("more than " + SyncLayout.SLOTS + " threads are waiting on this"
                + " SharedCondition at once; let fewer threads wait, or give each group a condition of its own");
    }

    /**
     * Waits until {@code waiter} is signalled (true) or {@code timeoutNanos} pass (false), and frees its
     * slot either way. If the thread is interrupted, a signal that had already reached it is passed on.
     */
    boolean await(Waiter waiter, long timeoutNanos) {
        long signalled = waiter.waiting + (SIGNALLED - WAITING);
        Backoff backoff = new Backoff(timeoutNanos, () -> "a signal of a SharedCondition");
        boolean gotIt = false;
        try {
            do {
                if (slot(waiter.index) == signalled) {
                    gotIt = true;
                    break;
                }
                if (backoff.due(DEAD_CHECK_EVERY_NS)) {
                    recoverDead();
                }
            } while (backoff.pause());
            gotIt = gotIt || !swap(waiter.index, waiter.waiting, FREE); // lost the race to a signal: take it
        } catch (CancellationException e) {
            if (!swap(waiter.index, waiter.waiting, FREE)) {
                Access.LONG.setVolatile(buffer, at(waiter.index), FREE);
                signalOne();
            }
            throw e;
        }
        if (gotIt) {
            Access.LONG.setVolatile(buffer, at(waiter.index), FREE);
        }
        return gotIt;
    }

    /** Signals the waiter with the oldest ticket; returns false if nobody waits. */
    boolean signalOne() {
        while (true) {
            int oldest = -1;
            long oldestSlot = 0;
            for (int i = 0, used = used(); i < used; i++) {
                long s = slot(i);
                if (state(s) == WAITING && (oldest < 0 || older(s, oldestSlot))) {
                    oldest = i;
                    oldestSlot = s;
                }
            }
            if (oldest < 0) {
                return false;
            }
            if (swap(oldest, oldestSlot, oldestSlot + (SIGNALLED - WAITING))) {
                return true;
            }
        }
    }

    /** Signals every waiter; returns how many. */
    int signalAll() {
        int woken = 0;
        for (int i = 0, used = used(); i < used; i++) {
            long s = slot(i);
            while (state(s) == WAITING) {
                if (swap(i, s, s + (SIGNALLED - WAITING))) {
                    woken++;
                    break;
                }
                s = slot(i);
            }
        }
        return woken;
    }

    /** Frees the slots of dead processes, passing on the signals they had received. */
    private void recoverDead() {
        for (int i = 0, used = used(); i < used; i++) {
            long s = slot(i);
            long pid = s >>> 32;
            if (s != FREE && pid != Pids.CURRENT && !Pids.isAlive(pid) && swap(i, s, FREE) && state(s) == SIGNALLED) {
                signalOne();
            }
        }
    }

    /** How many threads wait now. */
    int waiting() {
        int n = 0;
        for (int i = 0, used = used(); i < used; i++) {
            n += state(slot(i)) == WAITING ? 1 : 0;
        }
        return n;
    }
}
