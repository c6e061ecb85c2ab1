package org.jparallel.api;

/**
 * An item put into a {@link SharedQueue} or a message sent through a {@link SharedPipe} is larger, once
 * encoded, than the ring of shared memory that carries it; nothing was put or sent. The message says how
 * large the item and the ring are and how to make a queue or pipe with a larger capacity.
 */
public class ItemTooLargeException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final long size;
    private final long limit;

    /**
     * An item of {@code size} encoded bytes refused by a ring that holds at most {@code limit}.
     *
     * @param message the whole explanation, with the factory that makes a larger queue or pipe
     */
    public ItemTooLargeException(String message, long size, long limit) {
        super(message);
        this.size = size;
        this.limit = limit;
    }

    /** The encoded size of the item, in bytes. */
    public long size() {
        return size;
    }

    /** The largest encoded item the queue or pipe takes, in bytes. */
    public long limit() {
        return limit;
    }
}
