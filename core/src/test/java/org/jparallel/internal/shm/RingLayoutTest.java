package org.jparallel.internal.shm;

import org.jparallel.api.Shared;
import org.jparallel.api.SharedPipe;
import org.jparallel.api.SharedQueue;
import org.jparallel.testing.NoSegmentsLeft;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The bytes of queue and pipe segments as another process sees them, read straight from the file. */
@ExtendWith(NoSegmentsLeft.class)
class RingLayoutTest {

    private static final long PID = ProcessHandle.current().pid();
    private static final int RING = ChannelLayout.FIRST_RING_AT;
    private static final int DATA = RING + ChannelLayout.RING_HEADER;

    private static ByteBuffer fileOf(Object shared) throws IOException {
        Path path = Path.of(((RealShared) shared).descriptor().path());
        return ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.nativeOrder());
    }

    private static long word(long records, int index) {
        return records << 32 | index;
    }

    @Test
    void aQueueSegmentHasTheChannelHeaderThenOneRing() throws IOException {
        try (SharedQueue<String> q = Shared.queue(3, 1000)) {
            ByteBuffer file = fileOf(q);
            assertEquals(Kind.QUEUE.code(), file.getInt(Layout.KIND_AT));
            assertEquals(PID, file.getLong(Layout.CREATOR_AT));
            assertEquals(1024, file.getInt(ChannelLayout.CAPACITY_AT), "rounded up to a multiple of 64");
            assertEquals(3, file.getInt(ChannelLayout.MAXSIZE_AT));
            assertEquals(1, file.getInt(ChannelLayout.RINGS_AT));
            assertEquals(0, file.getInt(ChannelLayout.RELEASED_AT));
            assertEquals(DATA + 1024, file.capacity(), "header, one ring header, its data");
            assertEquals(file.capacity() - Layout.ARRAY_AT, file.getInt(Layout.LENGTH_AT));
            assertEquals(0L, file.getLong(RING + ChannelLayout.TAIL));
            assertEquals(0L, file.getLong(RING + ChannelLayout.HEAD));
        }
    }

    @Test
    void aRecordIsItsLengthAndTheEncodedItemPaddedToEightBytes() throws IOException {
        try (SharedQueue<String> q = Shared.queue(0, 1024)) {
            q.put("hello");
            ByteBuffer file = fileOf(q);
            int length = file.getInt(DATA);
            byte[] item = new byte[length];
            file.get(DATA + 4, item);
            RealSharedQueue<?> real = (RealSharedQueue<?>) q;
            assertEquals("hello", real.decode(item), "the payload is the item as the value codec encodes it");
            int size = Ring.recordSize(length);
            assertEquals(0, size % 8);
            assertEquals(word(1, size), file.getLong(RING + ChannelLayout.TAIL), "one record written, tail after it");
            assertEquals(0L, file.getLong(RING + ChannelLayout.HEAD));

            assertEquals("hello", q.get());
            file = fileOf(q);
            assertEquals(word(1, size), file.getLong(RING + ChannelLayout.HEAD), "one record read: head meets tail");
            assertEquals(0L, file.getLong(RING + ChannelLayout.PRODUCER_LOCK), "both locks free");
            assertEquals(0L, file.getLong(RING + ChannelLayout.CONSUMER_LOCK));
        }
    }

    @Test
    void recordsWrapAroundTheEndOfTheRingAndReadBackWhole() throws IOException {
        try (SharedQueue<byte[]> q = Shared.queue(0, 256)) {
            RealSharedQueue<?> real = (RealSharedQueue<?>) q;
            byte[] item = new byte[100];
            int size = Ring.recordSize(real.encode(item, "item", real.ring, () -> "#").length); // the same for every 100 bytes
            for (int round = 0; round < 40; round++) {
                Arrays.fill(item, (byte) round);
                item[round] = -1;
                q.put(item);
                assertArrayEquals(item, q.get(), "round " + round);
            }
            long tail = fileOf(q).getLong(RING + ChannelLayout.TAIL);
            assertEquals(40, tail >>> 32, "forty records written");
            assertEquals(40L * size % 256, tail & 0xFFFF_FFFFL, "the index went round the 256-byte ring");
        }
    }

    @Test
    void aDuplexPipeHasTwoRingsAndClosingAnEndSetsItsFlagsInBoth() throws IOException {
        try (SharedPipe<Integer> pipe = Shared.pipe(true, 512)) {
            int second = ChannelLayout.ringAt(1, 512);
            assertEquals(2, fileOf(pipe).getInt(ChannelLayout.RINGS_AT));
            assertEquals(ChannelLayout.FIRST_RING_AT + ChannelLayout.RING_HEADER + 512, second);
            pipe.first().send(7); // first sends into ring 1
            assertEquals(1, fileOf(pipe).getLong(second + ChannelLayout.TAIL) >>> 32);
            pipe.first().close();
            ByteBuffer file = fileOf(pipe);
            assertEquals(1, file.getInt(RING + ChannelLayout.READER_CLOSED), "first no longer reads ring 0");
            assertEquals(1, file.getInt(second + ChannelLayout.WRITER_CLOSED), "nor writes ring 1");
            assertEquals(0, file.getInt(RING + ChannelLayout.WRITER_CLOSED));
        }
    }

    @Test
    void theCreatorsCloseMarksTheChannelReleasedForOtherProcesses() {
        SharedQueue<String> q = Shared.queue();
        ByteBuffer buffer = ((RealShared) q).buffer;
        q.close();
        assertEquals(1, buffer.getInt(ChannelLayout.RELEASED_AT));
        assertThrows(IllegalStateException.class, q::isEmpty);
    }

    @Test
    void capacitiesOutOfRangeAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Shared.queue(0, 63));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Shared.pipe(true, Integer.MAX_VALUE));
        assertEquals("a pipe of " + Integer.MAX_VALUE + " bytes per ring does not fit in one segment (at most 2 GiB in all)",
                e.getMessage());
    }
}
