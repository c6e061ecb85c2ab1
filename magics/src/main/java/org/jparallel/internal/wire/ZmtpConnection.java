package org.jparallel.internal.wire;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One connection to a ROUTER socket (a manager's {@link RouterEndpoint}), speaking ZMTP 3.0 (the ZeroMQ wire protocol, RFC 23) with
 * the NULL mechanism as a DEALER, over a plain blocking {@link Socket}, used by one thread at a time.
 *
 * <p>Why not a JeroMQ socket: a proxy call runs on the caller's thread — a cell or task thread, which a
 * stop interrupts — and JeroMQ's sockets are not safe against interrupts, so a JeroMQ client would need a
 * thread of its own and two more thread hand-offs per round trip. A {@code java.net.Socket} is never
 * closed by an interrupt; a caller waiting for a reply checks for one every {@value #CHECK_MS} ms instead.
 * Only single-frame messages are exchanged; commands the server may send after the handshake (such as
 * PING) are skipped.
 */
public final class ZmtpConnection implements AutoCloseable {

    /** How often a caller waiting for a reply checks whether it was interrupted. */
    public static final int CHECK_MS = 200;
    private static final int CONNECT_TIMEOUT_MS = 5000;
    private static final int GREETING_BYTES = 64;
    private static final int FLAG_MORE = 1;
    private static final int FLAG_LONG = 2;
    private static final int FLAG_COMMAND = 4;

    /** A wait for the server was interrupted: the connection is closed, the reply will never be read. */
    public static final class Interrupted extends Exception {
        private static final long serialVersionUID = 1L;
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] buffer = new byte[8192];
    private int position;
    private int limit;

    /**
     * Connects to the ROUTER on 127.0.0.1:{@code port} and completes the handshake.
     *
     * @param serverIdentity the identity the server must announce; another one means another server now
     *                       listens on that port
     * @throws IOException if nothing listens there, the handshake fails or the identity differs
     */
    public ZmtpConnection(int port, byte[] serverIdentity) throws IOException, Interrupted {
        socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), CONNECT_TIMEOUT_MS);
            socket.setSoTimeout(CHECK_MS);
            in = socket.getInputStream();
            out = socket.getOutputStream();
            out.write(greeting());
            out.write(frame(FLAG_COMMAND, ready()));
            out.flush();
            checkGreeting(read(GREETING_BYTES));
            checkReady(readFrame(true), serverIdentity);
        } catch (IOException | Interrupted | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends one single-frame message. */
    public void send(byte[] message) throws IOException {
        out.write(frame(0, message));
        out.flush();
    }

    /**
     * The next message, waiting as long as it takes.
     *
     * @throws Interrupted  if the calling thread is interrupted meanwhile (the connection is then closed)
     * @throws IOException  if the connection ends, as it does when the server stops
     */
    public byte[] receive() throws IOException, Interrupted {
        byte[] message = readFrame(false);
        while (message == null) { // a command, such as a PING
            message = readFrame(false);
        }
        return message;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing a loopback socket: nothing to report
        }
    }

    private static byte[] greeting() {
        byte[] greeting = new byte[GREETING_BYTES];
        greeting[0] = (byte) 0xFF;
        greeting[9] = 0x7F;
        greeting[10] = 3; // version 3.0
        byte[] mechanism = "NULL".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(mechanism, 0, greeting, 12, mechanism.length);
        return greeting; // as-server 0, filler zeros
    }

    /** READY with Socket-Type DEALER: the ROUTER gives the connection a routing id of its own. */
    private static byte[] ready() {
        return ByteBuffer.allocate(1 + 5 + 1 + 11 + 4 + 6).put((byte) 5).put("READY".getBytes(StandardCharsets.US_ASCII))
                .put((byte) 11).put("Socket-Type".getBytes(StandardCharsets.US_ASCII))
                .putInt(6).put("DEALER".getBytes(StandardCharsets.US_ASCII)).array();
    }

    private static byte[] frame(int flags, byte[] body) {
        boolean big = body.length > 255;
        ByteBuffer frame = ByteBuffer.allocate((big ? 9 : 2) + body.length);
        frame.put((byte) (flags | (big ? FLAG_LONG : 0)));
        if (big) {
            frame.putLong(body.length);
        } else {
            frame.put((byte) body.length);
        }
        return frame.put(body).array();
    }

    private static void checkGreeting(byte[] greeting) throws IOException {
        String mechanism = new String(greeting, 12, 20, StandardCharsets.US_ASCII).trim();
        if ((greeting[0] & 0xFF) != 0xFF || greeting[9] != 0x7F || greeting[10] < 3 || !mechanism.equals("NULL")) {
            throw new IOException("the peer is not a ZMTP 3 server with the NULL mechanism");
        }
    }

    /** Checks the server's READY command: a ROUTER with the expected identity. */
    private static void checkReady(byte[] command, byte[] serverIdentity) throws IOException {
        ByteBuffer body = ByteBuffer.wrap(command);
        if (!"READY".equals(shortString(body))) {
            throw new IOException("the server did not send READY");
        }
        byte[] identity = null;
        String type = null;
        while (body.hasRemaining()) {
            String name = shortString(body);
            byte[] value = new byte[body.getInt()];
            body.get(value);
            if (name.equalsIgnoreCase("Identity")) {
                identity = value;
            } else if (name.equalsIgnoreCase("Socket-Type")) {
                type = new String(value, StandardCharsets.US_ASCII);
            }
        }
        if (!"ROUTER".equals(type) || !Arrays.equals(identity, serverIdentity)) {
            throw new IOException("another server listens on this port");
        }
    }

    private static String shortString(ByteBuffer body) {
        byte[] text = new byte[body.get() & 0xFF];
        body.get(text);
        return new String(text, StandardCharsets.US_ASCII);
    }

    /** The body of the next frame: a message, or a command if {@code command} (else null for a command). */
    private byte[] readFrame(boolean command) throws IOException, Interrupted {
        int flags = read(1)[0];
        long size = (flags & FLAG_LONG) != 0 ? ByteBuffer.wrap(read(8)).getLong() : read(1)[0] & 0xFF;
        if ((flags & FLAG_MORE) != 0 || size > Integer.MAX_VALUE - 16) {
            throw new IOException("the server sent a multi-part or oversized frame");
        }
        byte[] body = read((int) size);
        boolean isCommand = (flags & FLAG_COMMAND) != 0;
        if (isCommand != command && !isCommand) {
            throw new IOException("the server sent a message during the handshake");
        }
        return isCommand == command ? body : null;
    }

    /** The next {@code n} bytes; between reads that time out, checks for an interrupt. */
    private byte[] read(int n) throws IOException, Interrupted {
        byte[] bytes = new byte[n];
        int done = 0;
        while (done < n) {
            if (position == limit) {
                fill();
            }
            int chunk = Math.min(n - done, limit - position);
            System.arraycopy(buffer, position, bytes, done, chunk);
            position += chunk;
            done += chunk;
        }
        return bytes;
    }

    private void fill() throws IOException, Interrupted {
        while (true) {
            try {
                int read = in.read(buffer);
                if (read < 0) {
                    throw new EOFException("the server closed the connection");
                }
                position = 0;
                limit = read;
                return;
            } catch (SocketTimeoutException e) {
                if (Thread.currentThread().isInterrupted()) {
                    close();
                    throw new Interrupted();
                }
            }
        }
    }
}
