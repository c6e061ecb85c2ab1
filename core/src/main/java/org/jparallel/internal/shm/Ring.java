package org.jparallel.internal.shm;

import java.nio.ByteBuffer;
import java.util.concurrent.CancellationException;

/**
 * A bounded ring of length-prefixed records in shared memory, for any number of producers and consumers
 * in any processes ({@link ChannelLayout} for where it lies).
 *
 * <p>A record is a 4-byte length and the bytes, padded to a multiple of 8; it may wrap around the end of
 * the data. The tail word ({@code records << 32 | byte index}) says where the next record goes and how
 * many were ever written (mod 2<sup>32</sup>); the head word says the same of reading. Producers take turns
 * under the producer lock, consumers under the consumer lock, so a producer and a consumer never wait for
 * each other: a producer writes a whole record and only then publishes it by moving the tail (a release
 * store), and a consumer copies a whole record out and only then frees it by moving the head. A producer
 * killed in the middle of a record has not moved the tail, so nobody sees the half-written record; the
 * next producer takes the lock over from the dead one ({@link LockWord}) and writes over it. Each side
 * reads the other's word to know whether there is data or room, which can only make it too cautious.
 *
 * <p>Waiting — for data, for room — polls the other side's word with the {@link Backoff} of the locks:
 * another process cannot wake a parked thread.
 */
final class Ring {

    /** Checked while a side waits: throws if the wait must end (the channel closed, say). */
    interface Check {
        void run();
    }

    private final ByteBuffer buffer;
    private final int tail;
    private final int head;
    private final int writerClosed;
    private final int readerClosed;
    private final int data;
    private final int capacity;
    private final LockWord producers;
    private final LockWord consumers;

    /** The ring at {@code at} of {@code buffer}, with {@code capacity} bytes of data. */
    Ring(ByteBuffer buffer, int at, int capacity) {
        this.buffer = buffer;
        this.tail = at + ChannelLayout.TAIL;
        this.head = at + ChannelLayout.HEAD;
        this.writerClosed = at + ChannelLayout.WRITER_CLOSED;
        this.readerClosed = at + ChannelLayout.READER_CLOSED;
        this.data = at + ChannelLayout.RING_HEADER;
        this.capacity = capacity;
        this.producers = new LockWord(buffer, at + ChannelLayout.PRODUCER_LOCK, false);
        this.consumers = new LockWord(buffer, at + ChannelLayout.CONSUMER_LOCK, false);
    }

    /** The bytes of data. */
    int capacity() {
        return capacity;
    }

    /** The largest record payload the ring holds. */
    int maxPayload() {
        return capacity - 8;
    }

    /** The bytes a record of {@code payload} bytes takes: 4 for its length, padded to a multiple of 8. */
    static int recordSize(int payload) {
        return (payload + 4 + 7) & ~7;
    }

    private static int index(long word) {
        return (int) word;
    }

    private static int records(long word) {
        return (int) (word >>> 32);
    }

    private long word(int at) {
        return (long) Access.LONG.getVolatile(buffer, at);
    }

    /** How many records the ring holds (approximate while others write and read). */
    int size() {
        long h = word(head); // the head first: the tail read after it is at least as far on
        return records(word(tail)) - records(h);
    }

    /** Bytes in use between head word {@code h} and tail word {@code t}. */
    private int used(long h, long t) {
        if (records(t) == records(h)) {
            return 0;
        }
        int used = index(t) - index(h);
        return used <= 0 ? used + capacity : used;
    }

    private boolean hasRoom(int recordSize, int maxRecords) {
        long h = word(head);
        long t = word(tail);
        return records(t) - records(h) < maxRecords && used(h, t) + recordSize <= capacity;
    }

    /**
     * Writes {@code payload} as one record, waiting at most {@code timeoutNanos} (negative: for ever) while the
     * ring holds {@code maxRecords} records or has no room for it. {@code beforePublish} runs under the
     * producer lock just before the record becomes visible; {@code check} runs while waiting.
     *
     * @return whether the record was written
     * @throws CancellationException if the thread is interrupted while it waits
     */
    boolean write(byte[] payload, int maxRecords, long timeoutNanos, Runnable beforePublish, Check check) {
        int size = recordSize(payload.length);
        Backoff backoff = null;
        while (true) {
            if (hasRoom(size, maxRecords)) {
                producers.acquire(-1);
                try {
                    if (hasRoom(size, maxRecords)) {
                        long t = word(tail);
                        int at = index(t);
                        copyIn(at + 4, payload);
                        buffer.putInt(data + at, payload.length);
                        beforePublish.run();
                        int next = at + size >= capacity ? at + size - capacity : at + size;
                        Access.LONG.setRelease(buffer, tail, (long) (records(t) + 1) << 32 | next);
                        return true;
                    }
                } finally {
                    producers.release();
                }
            }
            check.run();
            if (backoff == null) {
                if (timeoutNanos == 0) {
                    return false;
                }
                backoff = new Backoff(timeoutNanos, () -> "room in a shared queue or pipe");
            }
            if (!backoff.pause()) {
                return false;
            }
        }
    }

    /**
     * Takes the record at the head, waiting at most {@code timeoutNanos} (negative: for ever) for one;
     * {@code check} runs while waiting.
     *
     * @return the record's payload, or null if none came in time
     * @throws CancellationException if the thread is interrupted while it waits
     */
    byte[] read(long timeoutNanos, Check check) {
        Backoff backoff = null;
        while (true) {
            if (!isEmpty()) {
                consumers.acquire(-1);
                try {
                    long h = word(head);
                    long t = word(tail);
                    if (records(t) != records(h)) {
                        int at = index(h);
                        int length = buffer.getInt(data + at);
                        if (length < 0 || length > maxPayload()) {
                            throw new IllegalStateException("the shared ring is corrupt: a record of " + length
                                    + " bytes at " + at + " in a ring of " + capacity);
                        }
                        byte[] payload = copyOut(at + 4, length);
                        int size = recordSize(length);
                        int next = at + size >= capacity ? at + size - capacity : at + size;
                        Access.LONG.setRelease(buffer, head, (long) (records(h) + 1) << 32 | next);
                        return payload;
                    }
                } finally {
                    consumers.release();
                }
            }
            check.run();
            if (backoff == null) {
                if (timeoutNanos == 0) {
                    return null;
                }
                backoff = new Backoff(timeoutNanos, () -> "data in a shared queue or pipe");
            }
            if (!backoff.pause()) {
                return null;
            }
        }
    }

    /** Waits until the ring holds a record or {@code check} throws, at most {@code timeoutNanos}; returns whether it does. */
    boolean awaitData(long timeoutNanos, Check check) {
        return Backoff.until(timeoutNanos, () -> "data in a shared queue or pipe", () -> {
            if (!isEmpty()) {
                return true;
            }
            check.run();
            return false;
        });
    }

    boolean isEmpty() {
        return records(word(tail)) == records(word(head));
    }

    private void copyIn(int at, byte[] payload) {
        int first = Math.min(payload.length, capacity - at);
        buffer.put(data + at, payload, 0, first);
        if (first < payload.length) {
            buffer.put(data, payload, first, payload.length - first);
        }
    }

    private byte[] copyOut(int at, int length) {
        byte[] payload = new byte[length];
        int first = Math.min(length, capacity - at);
        buffer.get(data + at, payload, 0, first);
        if (first < length) {
            buffer.get(data, payload, first, length - first);
        }
        return payload;
    }

    // ---- the two sides' closed flags (pipes) ----

    boolean isWriterClosed() {
        return (int) Access.INT.getVolatile(buffer, writerClosed) != 0;
    }

    boolean isReaderClosed() {
        return (int) Access.INT.getVolatile(buffer, readerClosed) != 0;
    }

    void closeWriter() {
        Access.INT.setVolatile(buffer, writerClosed, 1);
    }

    void closeReader() {
        Access.INT.setVolatile(buffer, readerClosed, 1);
    }
}
