package org.jparallel.internal.manager;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Manager requests and replies, each one frame on an authenticated wire connection
 * ({@code docs/managers.md}, "Wire format").
 *
 * <pre>
 * request: [request id (8)][object id (4)][op (2)][argument count (1)]
 *          then per argument [length (4)][value (ValueCodec)]
 * reply:   [request id (8)][status (1): 0 value, 1 exception][value or exception (ValueCodec)]
 * </pre>
 */
final class Requests {

    static final byte OK = 0;
    static final byte FAILED = 1;
    private static final int REQUEST_HEADER = Long.BYTES + Integer.BYTES + Short.BYTES + 1;
    private static final int REPLY_HEADER = Long.BYTES + 1;

    /** A request as the server reads it. */
    record Request(long id, int object, int op, byte[][] arguments) {
    }

    /** A reply as the client reads it. */
    record Reply(long id, boolean failed, byte[] value) {
    }

    private Requests() {
    }

    static byte[] request(long id, int object, Op op, byte[][] arguments) {
        int size = REQUEST_HEADER;
        for (byte[] argument : arguments) {
            size += Integer.BYTES + argument.length;
        }
        ByteBuffer body = ByteBuffer.allocate(size)
                .putLong(id).putInt(object).putShort((short) op.code()).put((byte) arguments.length);
        for (byte[] argument : arguments) {
            body.putInt(argument.length).put(argument);
        }
        return body.array();
    }

    /** The request in a frame. */
    static Request readRequest(byte[] body) {
        ByteBuffer in = ByteBuffer.wrap(body);
        if (body.length < REQUEST_HEADER) {
            throw new IllegalArgumentException("a request of " + body.length + " bytes is too short");
        }
        long id = in.getLong();
        int object = in.getInt();
        int op = in.getShort();
        byte[][] arguments = new byte[in.get()][];
        for (int i = 0; i < arguments.length; i++) {
            int length = in.remaining() >= Integer.BYTES ? in.getInt() : -1;
            if (length < 0 || length > in.remaining()) {
                throw new IllegalArgumentException("argument " + i + " of a request is cut short");
            }
            arguments[i] = new byte[length];
            in.get(arguments[i]);
        }
        return new Request(id, object, op, arguments);
    }

    static byte[] reply(long id, boolean failed, byte[] value) {
        return ByteBuffer.allocate(REPLY_HEADER + value.length).putLong(id).put(failed ? FAILED : OK).put(value).array();
    }

    /** The reply in a frame. */
    static Reply readReply(byte[] body) {
        if (body.length < REPLY_HEADER) {
            throw new IllegalArgumentException("a reply of " + body.length + " bytes is too short");
        }
        ByteBuffer in = ByteBuffer.wrap(body);
        return new Reply(in.getLong(), in.get() == FAILED, Arrays.copyOfRange(body, REPLY_HEADER, body.length));
    }
}
