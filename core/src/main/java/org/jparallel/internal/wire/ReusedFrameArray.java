package org.jparallel.internal.wire;

import java.lang.ref.SoftReference;

/**
 * The array a connection reads large message frames into, reused from frame to frame. A message's decoding copies
 * out all it keeps ({@link MessageCodec#decode(byte[], int)}), so the frame's array is free again once it is
 * decoded. A fresh 12.5 MB array per frame was live for all the time the frame took to arrive, so a young collection
 * in the middle of it copied it into the old generation: with one reused array, the workers' collector went from
 * 0.10-0.36 to 0.04-0.06 ms of CPU per MB of task arguments, the kernel's from 0.45-0.49 to 0.24-0.30 per MB of
 * results (bench/README.md, "Copies of a large byte[]"). Held softly: an idle connection's array goes back to a heap
 * that needs it.
 */
final class ReusedFrameArray {

    private SoftReference<byte[]> held = new SoftReference<>(null);

    /** An array of at least {@code size} bytes: the one held if large enough, else a new one, held from then on. */
    byte[] atLeast(int size) {
        byte[] array = held.get();
        if (array == null || array.length < size) {
            array = new byte[size];
            held = new SoftReference<>(array);
        }
        return array;
    }
}
