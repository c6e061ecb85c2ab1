package org.jparallel.internal.shm;

/**
 * What a shared object is: its code in segment headers and descriptors (stable, part of the wire
 * format), its Python typecode and the size of one element.
 */
public enum Kind {
    INT(1, 'i', 4, false),
    LONG(2, 'l', 8, false),
    DOUBLE(3, 'd', 8, false),
    BYTE(4, 'b', 1, false),
    INT_ARRAY(5, 'i', 4, true),
    LONG_ARRAY(6, 'l', 8, true),
    DOUBLE_ARRAY(7, 'd', 8, true),
    BYTE_ARRAY(8, 'b', 1, true),
    /** A lock that any thread may release, not reentrant (Python's {@code Lock}). */
    LOCK(9, '-', 0, false),
    /** A reentrant lock released by its owner (Python's {@code RLock}); also the lock of a value or array. */
    RLOCK(10, '-', 0, false),
    /** A counting semaphore (Python's {@code Semaphore}); codes 11–19 are the synchronization primitives. */
    SEMAPHORE(11, '-', 0, false),
    /** A semaphore that refuses a release above its initial count (Python's {@code BoundedSemaphore}). */
    BOUNDED_SEMAPHORE(12, '-', 0, false),
    /** A flag that waiters wait for (Python's {@code Event}). */
    EVENT(13, '-', 0, false),
    /** A condition variable over a shared lock (Python's {@code Condition}); its length is the lock's path in bytes. */
    CONDITION(14, '-', 1, false),
    /** A barrier for a number of parties (Python's {@code Barrier}); its length is the number of parties. */
    BARRIER(15, '-', 8, false),
    // messaging (codes 20-29): laid out as a byte array, the channel's header and rings ({@link ChannelLayout})
    /** Python's {@code Queue}: one ring, a maximum number of items. */
    QUEUE(20, '-', 1, true),
    /** Python's {@code JoinableQueue}: a queue that counts unfinished tasks. */
    JOINABLE_QUEUE(21, '-', 1, true),
    /** Python's {@code SimpleQueue}: a queue with no maximum number of items. */
    SIMPLE_QUEUE(22, '-', 1, true),
    /** Python's {@code Pipe}: two rings (duplex) or one. */
    PIPE(23, '-', 1, true),
    /** One end of a pipe: a descriptor of this kind names the pipe's segment and, as its offset, the end (1 or 2). */
    PIPE_END(24, '-', 1, true);

    private final int code;
    private final char typecode;
    private final int elementSize;
    private final boolean array;

    Kind(int code, char typecode, int elementSize, boolean array) {
        this.code = code;
        this.typecode = typecode;
        this.elementSize = elementSize;
        this.array = array;
    }

    /** The number written in segment headers and descriptors. */
    public int code() {
        return code;
    }

    /** The Python typecode of a value or array ({@code 'i'}, {@code 'l'}, {@code 'd'}, {@code 'b'}). */
    char typecode() {
        return typecode;
    }

    /** Bytes per element (a byte value still occupies a 4-byte slot, so that it can be updated atomically). */
    int elementSize() {
        return elementSize;
    }

    boolean isArray() {
        return array;
    }

    boolean isLock() {
        return this == LOCK || this == RLOCK;
    }

    /** Whether this is a semaphore, event, condition or barrier ({@link SyncLayout}). */
    boolean isSync() {
        return code >= SEMAPHORE.code && code <= BARRIER.code;
    }

    /** Whether this is a queue, a pipe or a pipe's end. */
    boolean isChannel() {
        return code >= 20 && code <= 29;
    }

    /** The kind with this header code. */
    public static Kind ofCode(int code) {
        for (Kind kind : values()) {
            if (kind.code == code) {
                return kind;
            }
        }
        throw new IllegalArgumentException("no shared object kind has code " + code);
    }

    /** The value kind (or, with {@code array}, the array kind) for a Python typecode. */
    static Kind ofTypecode(char typecode, boolean array) {
        switch (typecode) {
            case 'i':
                return array ? INT_ARRAY : INT;
            case 'l':
            case 'q':
                return array ? LONG_ARRAY : LONG;
            case 'd':
                return array ? DOUBLE_ARRAY : DOUBLE;
            case 'b':
                return array ? BYTE_ARRAY : BYTE;
            default:
                throw new IllegalArgumentException("typecode '" + typecode + "' is not supported: use 'i' (int),"
                        + " 'l' or 'q' (long), 'd' (double) or 'b' (byte)");
        }
    }
}
