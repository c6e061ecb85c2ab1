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

    /** What one system call may take from one buffer: about what a loopback socket takes at once. */
    static final int WINDOW_BYTES = 256 * 1024;

    private WindowedWrites() {
    }

    /**
     * Writes from {@code buffers} in order, as much as the (non-blocking) channel takes now, advancing their
     * positions as a gathering write does.
     */
    static void write(GatheringByteChannel channel, ByteBuffer[] buffers) throws IOException {
        int first = 0;
        while (true) {
            while (first < buffers.length && !buffers[first].hasRemaining()) {
                first++;
            }
            if (first == buffers.length) {
                return;
            }
            // windows of the buffers up to the first one cut short: a later buffer must not overtake its rest
            int end = first;
            long offered = 0;
            ByteBuffer[] windows = new ByteBuffer[buffers.length - first];
            while (end < buffers.length) {
                ByteBuffer buffer = buffers[end];
                int size = Math.min(buffer.remaining(), WINDOW_BYTES);
                windows[end - first] = buffer.duplicate().limit(buffer.position() + size);
                offered += size;
                end++;
                if (size < buffer.remaining()) {
                    break;
                }
            }
            long written = channel.write(windows, 0, end - first);
            for (int i = first; i < end; i++) {
                buffers[i].position(windows[i - first].position());
            }
            if (written < offered) { // the socket is full: the rest waits for the selector
                return;
            }
        }
    }
}
