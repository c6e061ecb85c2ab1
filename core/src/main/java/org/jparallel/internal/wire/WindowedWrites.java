package org.jparallel.internal.wire;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;

/**
 * Gathering writes of heap buffers a window at a time. A channel copies every heap buffer it is given, all of
 * what remains in it, into a temporary direct buffer before the system call, and a loopback socket then takes
 * about 3 MB (strace: 371 writev calls for 1.1 GB): handing it a 12.5 MB body copied what remained of the body
 * again on every call, some three times the body's size in all. Given windows of {@value #WINDOW_BYTES} bytes,
 * it copies each byte once. (Reads into a large body the same way measured no better: a read copies only
 * what it got.)
 */
final class WindowedWrites {

    /** What one system call is offered: the cost of a copy to a direct buffer stays that of the bytes written. */
    static final int WINDOW_BYTES = 256 * 1024;
    /** At most this many buffers a call: Linux's IOV_MAX, beyond which a channel leaves the rest anyway. */
    static final int MAX_BUFFERS = 1024;

    private WindowedWrites() {
    }

    /**
     * Writes from {@code buffers} in order, as much as the (non-blocking) channel takes now, advancing their
     * positions as a gathering write does. Each system call gets at most {@value #WINDOW_BYTES} bytes and
     * {@value #MAX_BUFFERS} buffers, so that a long backlog of small messages costs no more per call than what
     * the call writes.
     */
    static void write(GatheringByteChannel channel, ByteBuffer[] buffers) throws IOException {
        int first = 0;
        ByteBuffer[] offer = new ByteBuffer[Math.min(buffers.length, MAX_BUFFERS)];
        while (true) {
            while (first < buffers.length && !buffers[first].hasRemaining()) {
                first++;
            }
            if (first == buffers.length) {
                return;
            }
            // whole buffers as they are, then the window of one cut short, and nothing after it: a later buffer
            // must not overtake the rest of an earlier one
            int count = 0;
            long offered = 0;
            ByteBuffer cut = null;
            for (int i = first; i < buffers.length && count < offer.length && offered < WINDOW_BYTES; i++) {
                ByteBuffer buffer = buffers[i];
                int size = (int) Math.min(buffer.remaining(), WINDOW_BYTES - offered);
                offered += size;
                if (size < buffer.remaining()) {
                    cut = buffer;
                    offer[count++] = buffer.duplicate().limit(buffer.position() + size);
                    break;
                }
                offer[count++] = buffer;
            }
            long written = channel.write(offer, 0, count);
            if (cut != null) {
                cut.position(offer[count - 1].position());
            }
            if (written < offered) { // the socket is full: the rest waits for the selector
                return;
            }
        }
    }
}
