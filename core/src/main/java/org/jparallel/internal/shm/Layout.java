package org.jparallel.internal.shm;

/**
 * Byte offsets inside a segment, all in the machine's native byte order. Every segment starts with
 * the same 48 bytes; the data follows (for the synchronization primitives, see {@link SyncLayout}).
 *
 * <pre>
 *  0  int   magic "JPSH"                     32  long  lock owner: pid &lt;&lt; 32 | thread id, 0 = free
 *  4  int   layout version                   40  int   holds beyond the first (reentrant locks)
 *  8  int   kind ({@link Kind#code()})       44  int   pid of a dead owner the holder took the lock from
 * 12  int   flags (has a lock, reentrant)    48  a value (8 bytes, same cache line as the lock)
 * 16  long  pid of the creating process      64  array elements
 * 24  int   length (elements)
 * </pre>
 */
final class Layout {

    static final int MAGIC = 0x4A505348; // "JPSH"
    static final int VERSION = 1;

    static final int MAGIC_AT = 0;
    static final int VERSION_AT = 4;
    static final int KIND_AT = 8;
    static final int FLAGS_AT = 12;
    static final int CREATOR_AT = 16;
    static final int LENGTH_AT = 24;

    /** Where the lock word starts: owner (long), holds beyond the first (int), dead owner (int). */
    static final int LOCK_AT = 32;
    static final int OWNER = 0;
    static final int COUNT = 8;
    static final int DEAD_OWNER = 12;

    static final int VALUE_AT = 48;
    static final int ARRAY_AT = 64;

    /** The segment has a lock word in use. */
    static final int FLAG_LOCK = 1;
    /** Its lock is reentrant and released by its owner only. */
    static final int FLAG_REENTRANT = 2;

    /** The largest segment: one mapping, so at most 2 GiB. */
    static final long MAX_SIZE = Integer.MAX_VALUE;

    private Layout() {
    }

    /** Where the data of {@code kind} starts. */
    static int dataAt(Kind kind) {
        return kind.isArray() ? ARRAY_AT : VALUE_AT;
    }

    /** The size of a segment holding {@code length} elements of {@code kind}. */
    static long size(Kind kind, int length) {
        if (kind.isSync()) {
            return SyncLayout.size(kind, length);
        }
        if (kind.isLock()) {
            return VALUE_AT;
        }
        long data = kind.isArray() ? (long) length * kind.elementSize() : 8;
        return (dataAt(kind) + data + 7) & ~7L;
    }
}
