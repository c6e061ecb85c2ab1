package org.jparallel.internal.wire;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** The body of a signed frame: {@code [sender peer id (4 bytes)][encoded message]}. */
final class Frames {

    private Frames() {
    }

    static byte[] body(int sender, byte[] message) {
        return ByteBuffer.allocate(Integer.BYTES + message.length).putInt(sender).put(message).array();
    }

    static byte[] message(byte[] body) {
        return Arrays.copyOfRange(body, Integer.BYTES, body.length);
    }
}
