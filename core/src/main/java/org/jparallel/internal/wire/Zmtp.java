package org.jparallel.internal.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The parts of ZMTP 3.0 (ZeroMQ's wire protocol, RFC 23) this wire uses: the 64-byte greeting with the
 * NULL mechanism, the READY command carrying a socket type, and single frames
 * of up to 2^63 bytes. Shared by both ends: {@link ZmtpConnection} (blocking sockets) and
 * {@link WireServer} (a selector).
 */
final class Zmtp {

    static final int GREETING_BYTES = 64;
    static final int FLAG_MORE = 1;
    static final int FLAG_LONG = 2;
    static final int FLAG_COMMAND = 4;
    /** The largest frame header: flags and an 8-byte size. */
    static final int MAX_HEADER_BYTES = 9;

    private Zmtp() {
    }

    /** This end's greeting: signature, version 3.0, mechanism NULL, not as-server. */
    static byte[] greeting() {
        byte[] greeting = new byte[GREETING_BYTES];
        greeting[0] = (byte) 0xFF;
        greeting[9] = 0x7F;
        greeting[10] = 3;
        byte[] mechanism = "NULL".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(mechanism, 0, greeting, 12, mechanism.length);
        return greeting;
    }

    /** The body of a READY command with a Socket-Type. */
    static byte[] ready(String type) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer ready = ByteBuffer.allocate(6 + 12 + 4 + typeBytes.length);
        ready.put((byte) 5).put("READY".getBytes(StandardCharsets.US_ASCII));
        ready.put((byte) 11).put("Socket-Type".getBytes(StandardCharsets.US_ASCII)).putInt(typeBytes.length).put(typeBytes);
        return ready.array();
    }

    /** The header of a frame of {@code size} bytes with these flags (MORE or COMMAND), ready to read. */
    static ByteBuffer header(int flags, long size) {
        boolean big = size > 255;
        ByteBuffer header = ByteBuffer.allocate(big ? 9 : 2);
        header.put((byte) (flags | (big ? FLAG_LONG : 0)));
        if (big) {
            header.putLong(size);
        } else {
            header.put((byte) size);
        }
        return header.flip();
    }

    /** A whole frame: header and body in one array. */
    static byte[] frame(int flags, byte[] body) {
        ByteBuffer header = header(flags, body.length);
        byte[] frame = Arrays.copyOf(header.array(), header.remaining() + body.length);
        System.arraycopy(body, 0, frame, header.remaining(), body.length);
        return frame;
    }

    /** Checks a peer's greeting: ZMTP 3 or later, mechanism NULL. */
    static void checkGreeting(byte[] greeting) throws ZmtpConnection.ProtocolException {
        String mechanism = new String(greeting, 12, 20, StandardCharsets.US_ASCII).trim();
        if ((greeting[0] & 0xFF) != 0xFF || greeting[9] != 0x7F || greeting[10] < 3 || !mechanism.equals("NULL")) {
            throw new ZmtpConnection.ProtocolException("the peer does not speak ZMTP 3 with the NULL mechanism");
        }
    }

    /** Checks a peer's READY command: its socket type (other properties, such as an Identity, are ignored). */
    static void checkReady(byte[] command, String peerType) throws ZmtpConnection.ProtocolException {
        try {
            ByteBuffer body = ByteBuffer.wrap(command);
            if (!"READY".equals(shortString(body))) {
                throw new ZmtpConnection.ProtocolException("the peer did not send READY");
            }
            String type = null;
            while (body.hasRemaining()) {
                String name = shortString(body);
                byte[] value = new byte[body.getInt()];
                body.get(value);
                if (name.equalsIgnoreCase("Socket-Type")) {
                    type = new String(value, StandardCharsets.US_ASCII);
                }
            }
            if (!peerType.equals(type)) {
                throw new ZmtpConnection.ProtocolException("the peer is a " + type + " socket, not a " + peerType);
            }
        } catch (RuntimeException e) { // a property longer than the command
            throw new ZmtpConnection.ProtocolException("the peer sent a malformed READY command");
        }
    }

    private static String shortString(ByteBuffer body) {
        byte[] text = new byte[body.get() & 0xFF];
        body.get(text);
        return new String(text, StandardCharsets.US_ASCII);
    }
}
