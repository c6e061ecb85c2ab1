package org.jparallel.internal.shm;

/**
 * Byte offsets of the synchronization primitives' data, after the common 48-byte header
 * ({@link Layout}); native byte order, every word aligned to its size.
 *
 * <pre>
 * semaphore, bounded semaphore (56 bytes)
 *   48 int   permits available now
 *   52 int   initial permits (the bound of a bounded semaphore)
 * event (56 bytes)
 *   48 long  sets &lt;&lt; 1 | flag: the flag, and how many times set() raised it
 * condition (2120 bytes + the lock's path)
 *   32       its own reentrant lock word (Layout.LOCK_AT), used when it was made without a lock
 *   48 long  next ticket, so that signal() wakes the longest waiter first
 *   56 int   slots used so far (a high-water mark: scans stop there)
 *   60 int   kind of its lock (9 or 10)
 *   64 int   offset of its lock in the lock's segment (32)
 *   72 long  256 wait slots: pid &lt;&lt; 32 | ticket &lt;&lt; 2 | state (0 free, 1 waiting, 2 signalled)
 * 2120 bytes the lock's segment path, UTF-8 (the header's length says how many)
 * barrier (64 bytes + 8 per party)
 *   48 long  state: generation &lt;&lt; 40 | outcomes of the 23 generations before it &lt;&lt; 17 | broken &lt;&lt; 16 | arrived
 *   56 long  default timeout in nanoseconds, -1 for none
 *   64 long  one per arrival index: generation &lt;&lt; 32 | pid of the party that arrived
 * </pre>
 */
final class SyncLayout {

    static final int PERMITS_AT = Layout.VALUE_AT;
    static final int INITIAL_PERMITS_AT = Layout.VALUE_AT + 4;

    static final int EVENT_AT = Layout.VALUE_AT;

    static final int NEXT_TICKET_AT = Layout.VALUE_AT;
    static final int SLOTS_USED_AT = Layout.VALUE_AT + 8;
    static final int LOCK_KIND_AT = Layout.VALUE_AT + 12;
    static final int LOCK_OFFSET_AT = Layout.VALUE_AT + 16;
    static final int SLOTS_AT = Layout.VALUE_AT + 24;
    static final int SLOTS = 256;
    static final int LOCK_PATH_AT = SLOTS_AT + 8 * SLOTS;

    static final int BARRIER_STATE_AT = Layout.VALUE_AT;
    static final int BARRIER_TIMEOUT_AT = Layout.VALUE_AT + 8;
    static final int ARRIVALS_AT = Layout.ARRAY_AT;
    static final int MAX_PARTIES = 0xFFFF;

    private SyncLayout() {
    }

    /** The size of the segment of a synchronization primitive with {@code length} elements. */
    static long size(Kind kind, int length) {
        switch (kind) {
            case CONDITION:
                return (LOCK_PATH_AT + (long) length + 7) & ~7L;
            case BARRIER:
                return ARRIVALS_AT + 8L * length;
            default:
                return Layout.VALUE_AT + 8;
        }
    }
}
