package org.jparallel.internal.shm;

/**
 * Byte offsets of a queue or pipe segment ({@link Kind#isChannel()}), after the common 64-byte header
 * ({@link Layout}); native byte order. A channel is a header line, then one ring per direction
 * ({@link Ring}: a pipe has two if duplex, a queue one).
 *
 * <pre>
 *  64  int   released: 1 once the creator closed the channel
 *  68  int   capacity of each ring's data, in bytes (a multiple of 64)
 *  72  int   maximum number of items (queues), 0 = no maximum
 *  76  int   number of rings
 *  80  long  unfinished tasks (joinable queues)
 * 128  the rings, each {@link #RING_HEADER} bytes of header and then its data
 * </pre>
 */
final class ChannelLayout {

    static final int RELEASED_AT = Layout.ARRAY_AT;
    static final int CAPACITY_AT = RELEASED_AT + 4;
    static final int MAXSIZE_AT = RELEASED_AT + 8;
    static final int RINGS_AT = RELEASED_AT + 12;
    static final int UNFINISHED_AT = RELEASED_AT + 16;
    static final int FIRST_RING_AT = RELEASED_AT + 64;

    /** A ring's header: producers' lock and tail, consumers' lock and head, closed flags; three cache lines. */
    static final int RING_HEADER = 192;
    static final int PRODUCER_LOCK = 0;
    static final int TAIL = 16;
    static final int CONSUMER_LOCK = 64;
    static final int HEAD = 80;
    static final int WRITER_CLOSED = 128;
    static final int READER_CLOSED = 132;

    static final int MIN_CAPACITY = 64;
    /** Default ring of a queue: 64 MiB. A segment in /dev/shm is sparse: pages cost memory once written. */
    static final int DEFAULT_QUEUE_CAPACITY = 64 << 20;
    /** Default ring of each direction of a pipe: 16 MiB. */
    static final int DEFAULT_PIPE_CAPACITY = 16 << 20;

    private ChannelLayout() {
    }

    /** Where ring {@code i} of a channel whose rings hold {@code capacity} bytes starts. */
    static int ringAt(int i, int capacity) {
        return FIRST_RING_AT + i * (RING_HEADER + capacity);
    }

    /**
     * The segment length (bytes after {@link Layout#ARRAY_AT}) of a channel of {@code rings} rings of
     * {@code capacity} bytes, the capacity rounded up to a multiple of 64.
     *
     * @throws IllegalArgumentException if the capacity is below {@link #MIN_CAPACITY} or the channel would
     *                                  not fit in one segment
     */
    static int length(int rings, int capacity, String what) {
        if (capacity < MIN_CAPACITY) {
            throw new IllegalArgumentException("the capacity of a " + what + " is its ring's size in bytes, at least "
                    + MIN_CAPACITY + ": " + capacity);
        }
        long rounded = roundedCapacity(capacity);
        long end = FIRST_RING_AT + rings * (RING_HEADER + rounded);
        if (end > Layout.MAX_SIZE) {
            throw new IllegalArgumentException("a " + what + " of " + capacity + " bytes per ring does not fit in one"
                    + " segment (at most 2 GiB in all)");
        }
        return (int) (end - Layout.ARRAY_AT);
    }

    static long roundedCapacity(int capacity) {
        return ((long) capacity + 63) & ~63L;
    }
}
