package org.jparallel.internal.wire;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class WindowedWritesTest {

    @Test
    void partsLargerThanAWindowGoOutWholeAndInOrderThroughAFullChannel() throws Exception {
        // a header, a body of many windows, a small trailer, another large body: as a message's parts
        assertGoOutWholeAndInOrder(new int[] {9, 5 * WindowedWrites.WINDOW_BYTES + 17, 3, WindowedWrites.WINDOW_BYTES, 1});
    }

    @Test
    void aBacklogOfMoreSmallBuffersThanACallTakesGoesOutWholeAndInOrder() throws Exception {
        Random random = new Random(19);
        int[] sizes = new int[3 * WindowedWrites.MAX_BUFFERS + 5];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = i == 2000 ? 2 * WindowedWrites.WINDOW_BYTES : 1 + random.nextInt(300);
        }
        assertGoOutWholeAndInOrder(sizes);
    }

    private static void assertGoOutWholeAndInOrder(int[] sizes) throws Exception {
        Random random = new Random(sizes.length);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        ByteBuffer[] parts = new ByteBuffer[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            byte[] part = new byte[sizes[i]];
            random.nextBytes(part);
            expected.write(part);
            parts[i] = ByteBuffer.wrap(part);
        }
        Pipe pipe = Pipe.open();
        try (Pipe.SinkChannel sink = pipe.sink(); Pipe.SourceChannel source = pipe.source()) {
            sink.configureBlocking(false);
            WindowedWrites.write(sink, parts); // a pipe takes far less than all: the first write stops when it is full
            assertFalse(!parts[parts.length - 1].hasRemaining(), "the pipe took everything at once");
            CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
                try {
                    ByteBuffer all = ByteBuffer.allocate(expected.size());
                    while (all.hasRemaining() && source.read(all) >= 0) {
                        // reads until every byte is there
                    }
                    return all.array();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            while (MessageCodec.size(parts) > 0) { // as the selector does on each OP_WRITE
                WindowedWrites.write(sink, parts);
                Thread.onSpinWait();
            }
            assertArrayEquals(expected.toByteArray(), read.get());
            for (ByteBuffer part : parts) {
                assertEquals(part.limit(), part.position());
            }
        }
    }
}
