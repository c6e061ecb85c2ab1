package org.jparallel.internal.wire;

import javax.net.ssl.SSLSocket;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;

/**
 * One ZMTP 3.0 connection (the ZeroMQ wire protocol, RFC 23, NULL mechanism) over a blocking
 * {@link Socket}, plain on loopback or TLS 1.3 to another host ({@link WireAddress}), used by one thread at a time: a {@link WireClient}'s, as a DEALER talking to a
 * {@link WireServer}'s ROUTER, or, in tests, a scripted ROUTER's end ({@link #accept}).
 *
 * <p>Why not JeroMQ sockets: a worker's task and a manager call run on the caller's thread — a cell or
 * task thread, which a stop interrupts — and JeroMQ's sockets are not safe against interrupts, so a
 * JeroMQ client would need a thread of its own and more thread hand-offs per round trip. A
 * {@code java.net.Socket} is never closed by an interrupt; a caller waiting for a reply checks for one
 * every {@value #CHECK_MS} ms instead. Only single-frame messages are exchanged; commands such as PING
 * are skipped.
 */
public final class ZmtpConnection implements AutoCloseable {

    /** How often a caller waiting for a reply checks whether it was interrupted. */
    public static final int CHECK_MS = 200;
    private static final int CONNECT_TIMEOUT_MS = 5000;
    /** How long the TLS handshake may take: the server's own limit for a whole handshake (WireServer). */
    private static final int HANDSHAKE_TIMEOUT_MS = 5000;
    /** Bodies up to this size are sent in one write with their header. */
    private static final int COPY_BYTES = 8192;

    /** The peer broke the protocol: another kind of socket, another server, a frame this wire does not carry. */
    public static final class ProtocolException extends IOException {
        private static final long serialVersionUID = 1L;

        ProtocolException(String message) {
            super(message);
        }
    }

    /** A wait for the peer was interrupted: the connection is closed, the reply will never be read. */
    public static final class Interrupted extends Exception {
        private static final long serialVersionUID = 1L;
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] buffer = new byte[8192];
    /** Where message frames at least as large as {@link #buffer} are read. */
    private final ReusedFrameArray reused = new ReusedFrameArray();
    private int position;
    private int limit;

    /**
     * Completes the handshake on {@code socket}: sends this end's greeting and READY (its socket type), then
     * checks the peer's, which must be of {@code peerType}.
     */
    private ZmtpConnection(Socket socket, String ownType, String peerType) throws IOException, Interrupted {
        this.socket = socket;
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(CHECK_MS);
            in = socket.getInputStream();
            out = socket.getOutputStream();
            out.write(Zmtp.greeting());
            out.write(Zmtp.frame(Zmtp.FLAG_COMMAND, Zmtp.ready(ownType)));
            out.flush();
            Zmtp.checkGreeting(read(Zmtp.GREETING_BYTES));
            Zmtp.checkReady(readFrame(true), peerType);
        } catch (IOException | Interrupted | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Connects to the ROUTER at {@code to}, completes the TLS handshake if {@code to} says TLS, then the
     * ZMTP handshake.
     *
     * @throws IOException if nothing listens there, the TLS handshake fails or the ZMTP handshake fails
     */
    static ZmtpConnection connect(WireAddress to) throws IOException, Interrupted {
        Socket plain = new Socket();
        Socket socket = plain;
        try {
            plain.connect(to.address(), CONNECT_TIMEOUT_MS);
            if (to.tls() != null) {
                socket = tls(plain, to);
            }
        } catch (IOException e) {
            plain.close();
            throw e;
        }
        return new ZmtpConnection(socket, "DEALER", "ROUTER");
    }

    /** Plain TCP to the ROUTER on 127.0.0.1:{@code port}. */
    static ZmtpConnection connect(int port) throws IOException, Interrupted {
        return connect(WireAddress.loopback(port));
    }

    /** TLS 1.3 over a connected socket, with the pool's client certificate, trusting only the pool's CA. */
    private static SSLSocket tls(Socket plain, WireAddress to) throws IOException {
        SSLSocket tls = to.tls().clientSocket(plain, to.address());
        tls.setSoTimeout(HANDSHAKE_TIMEOUT_MS);
        tls.startHandshake();
        return tls;
    }

    /** The server's end of a connection a client made: a ROUTER, to a DEALER. */
    static ZmtpConnection accept(Socket accepted) throws IOException, Interrupted {
        return new ZmtpConnection(accepted, "ROUTER", "DEALER");
    }

    /**
     * From now on a wait for the peer lasts as long as it takes, without waking every {@value #CHECK_MS} ms to
     * look for an interrupt: for a reader that nothing interrupts. Each of those wake-ups allocates an exception.
     */
    void waitWithoutInterruptChecks() throws IOException {
        socket.setSoTimeout(0);
    }

    /** Sends one single-frame message. */
    public void send(byte[] message) throws IOException {
        send(new ByteBuffer[] {ByteBuffer.wrap(message)});
    }

    /**
     * Sends one single-frame message made of consecutive heap {@code parts} ({@code MessageCodec.encodeParts}):
     * small parts are gathered with the header into one write, a large one is written from its own array.
     */
    public void send(ByteBuffer[] parts) throws IOException {
        long size = MessageCodec.size(parts);
        // no larger than the frame: a task's small answer should not cost an 8 KiB array
        ByteBuffer pending = ByteBuffer.allocate((int) Math.min(COPY_BYTES, Zmtp.MAX_HEADER_BYTES + size))
                .put(Zmtp.header(0, size));
        for (ByteBuffer part : parts) {
            if (part.remaining() <= pending.remaining()) {
                pending.put(part.duplicate());
                continue;
            }
            out.write(pending.array(), 0, pending.position());
            pending.clear();
            if (part.remaining() < COPY_BYTES) {
                pending.put(part.duplicate());
            } else {
                out.write(part.array(), part.arrayOffset() + part.position(), part.remaining());
            }
        }
        out.write(pending.array(), 0, pending.position());
        out.flush();
    }

    /**
     * The next message, waiting as long as it takes.
     *
     * @throws Interrupted  if the calling thread is interrupted meanwhile (the connection is then closed)
     * @throws IOException  if the connection ends, as it does when the peer stops
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

    /** Reads the body of a message frame into an array it may keep; returns what the frame holds. */
    interface FrameReader<T> {
        T read(byte[] array, int length) throws IOException;
    }

    /**
     * The next message, read as {@code reader} makes it from the frame's bytes, which it must not keep: a large
     * frame is read into an array reused from one frame to the next.
     *
     * @throws Interrupted  if the calling thread is interrupted meanwhile (the connection is then closed)
     * @throws IOException  if the connection ends, as it does when the peer stops
     */
    <T> T receive(FrameReader<T> reader) throws IOException, Interrupted {
        while (true) {
            int flags = read(1)[0];
            long size = (flags & Zmtp.FLAG_LONG) != 0 ? ByteBuffer.wrap(read(8)).getLong() : read(1)[0] & 0xFF;
            checkFrame(flags, size);
            if ((flags & Zmtp.FLAG_COMMAND) != 0) { // such as a PING
                read((int) size);
            } else if (size < buffer.length) {
                byte[] body = read((int) size);
                return reader.read(body, body.length);
            } else {
                byte[] body = reused.atLeast((int) size);
                read(body, (int) size);
                return reader.read(body, (int) size);
            }
        }
    }

    private static void checkFrame(int flags, long size) throws ProtocolException {
        if ((flags & Zmtp.FLAG_MORE) != 0 || size < 0 || size > Integer.MAX_VALUE - 16) {
            throw new ProtocolException("the peer sent a multi-part or oversized frame");
        }
    }

    /** The body of the next frame: a message, or a command if {@code command} (else null for a command). */
    private byte[] readFrame(boolean command) throws IOException, Interrupted {
        int flags = read(1)[0];
        long size = (flags & Zmtp.FLAG_LONG) != 0 ? ByteBuffer.wrap(read(8)).getLong() : read(1)[0] & 0xFF;
        checkFrame(flags, size);
        byte[] body = read((int) size);
        boolean isCommand = (flags & Zmtp.FLAG_COMMAND) != 0;
        if (isCommand != command && !isCommand) {
            throw new ProtocolException("the peer sent a message during the handshake");
        }
        return isCommand == command ? body : null;
    }

    /** The next {@code n} bytes; between reads that time out, checks for an interrupt. */
    private byte[] read(int n) throws IOException, Interrupted {
        byte[] bytes = new byte[n];
        read(bytes, n);
        return bytes;
    }

    /** The next {@code n} bytes into the start of {@code bytes}. */
    private void read(byte[] bytes, int n) throws IOException, Interrupted {
        int done = Math.min(n, limit - position);
        System.arraycopy(buffer, position, bytes, 0, done);
        position += done;
        while (done < n) {
            if (n - done >= buffer.length) { // a large body: straight into place
                done += fill(bytes, done, n - done);
                continue;
            }
            limit = fill(buffer, 0, buffer.length);
            int chunk = Math.min(n - done, limit);
            System.arraycopy(buffer, 0, bytes, done, chunk);
            position = chunk;
            done += chunk;
        }
    }

    /** Reads at least one byte into {@code target}; returns how many. */
    private int fill(byte[] target, int offset, int length) throws IOException, Interrupted {
        while (true) {
            try {
                int read = in.read(target, offset, length);
                if (read < 0) {
                    throw new EOFException("the peer closed the connection");
                }
                return read;
            } catch (SocketTimeoutException e) {
                if (Thread.currentThread().isInterrupted()) {
                    close();
                    throw new Interrupted();
                }
            }
        }
    }
}
