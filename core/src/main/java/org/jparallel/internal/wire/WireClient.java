package org.jparallel.internal.wire;

import org.jparallel.internal.codec.CodecException;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;

/**
 * A client's end of the wire: one ZMTP 3.0 connection (as a DEALER) to a {@link WireServer}, plain on
 * 127.0.0.1 or TLS 1.3 from another host ({@link WireAddress}), authenticated both ways with the server's secret before any message
 * ({@link PeerAuthentication}). A worker exchanges {@link Message}s with its kernel ({@link #connect});
 * a manager's proxy exchanges raw frames with the manager's server ({@link #connectForFrames}).
 *
 * <p>One thread reads ({@link #receive}, {@link #receiveFrame}); any thread may send, which writes on
 * the caller's thread. The socket is a plain {@code java.net.Socket}, which an interrupt does not close,
 * so a task thread that is being cancelled can still report; a reader that is interrupted while it waits
 * gets an {@link InterruptedIOException} within {@value ZmtpConnection#CHECK_MS} ms, and the connection
 * is closed.
 */
public final class WireClient implements AutoCloseable {

    private final ZmtpConnection connection;
    /** Null for a client of frames. */
    private final MessageCodec codec;

    private WireClient(ZmtpConnection connection, MessageCodec codec) {
        this.connection = connection;
        this.codec = codec;
    }

    /**
     * Connects to the kernel's wire on 127.0.0.1:{@code port} as peer {@code self} and authenticates.
     *
     * @throws IOException if nothing answers there, the peer breaks the protocol, or it does not prove
     *                     it holds {@code secret}
     */
    public static WireClient connect(int port, int self, byte[] secret, MessageCodec codec) throws IOException {
        return connect(WireAddress.loopback(port), self, secret, codec);
    }

    /**
     * Connects to the kernel's wire at {@code kernel}, over the transport it names, as peer {@code self}
     * and authenticates with {@code secret} (over TLS too: see docs/wire-protocol.md, "Transports").
     *
     * @throws IOException if nothing answers there, TLS fails, the peer breaks the protocol, or it does
     *                     not prove it holds {@code secret}; its message names the address tried
     */
    public static WireClient connect(WireAddress kernel, int self, byte[] secret, MessageCodec codec) throws IOException {
        return new WireClient(authenticated(kernel, self, secret), codec);
    }

    /**
     * Connects to the server of frames on 127.0.0.1:{@code port} ({@link WireServer#forClients}), which numbers
     * its peers itself, and authenticates; frames go with {@link #sendFrame} and {@link #receiveFrame}.
     *
     * @throws IOException if nothing answers there, the peer breaks the protocol, or it does not prove
     *                     it holds {@code secret}
     */
    public static WireClient connectForFrames(int port, byte[] secret) throws IOException {
        return connectForFrames(WireAddress.loopback(port), secret);
    }

    /** As {@link #connectForFrames(int, byte[])}, to a server at {@code server} over the transport it names. */
    public static WireClient connectForFrames(WireAddress server, byte[] secret) throws IOException {
        return new WireClient(authenticated(server, 0, secret), null);
    }

    private static ZmtpConnection authenticated(WireAddress to, int self, byte[] secret) throws IOException {
        ZmtpConnection connection;
        try {
            connection = ZmtpConnection.connect(to);
        } catch (ZmtpConnection.Interrupted e) {
            throw new InterruptedIOException("interrupted while connecting to " + to);
        } catch (ZmtpConnection.ProtocolException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException("could not connect to " + to + ": " + e, e);
        }
        try {
            byte[] challenge = connection.receive();
            if (challenge.length != PeerAuthentication.NONCE_BYTES) {
                throw new ZmtpConnection.ProtocolException("the challenge of the server at " + to + " has "
                        + challenge.length + " bytes");
            }
            byte[] answer = PeerAuthentication.answer(secret, challenge, self);
            connection.send(answer);
            if (!PeerAuthentication.checkProof(secret, challenge, answer, connection.receive())) {
                throw new ZmtpConnection.ProtocolException("the server at " + to
                        + " did not prove that it holds the secret");
            }
        } catch (ZmtpConnection.Interrupted e) {
            connection.close();
            throw new InterruptedIOException("interrupted while authenticating to " + to);
        } catch (IOException | RuntimeException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    /**
     * Sends a message, large binary fields straight from their arrays; blocks only while the kernel does not read
     * (it always does).
     */
    public void send(Message message) throws IOException {
        ByteBuffer[] parts = codec.encodeParts(message);
        synchronized (connection) {
            connection.send(parts);
        }
    }

    /** Sends one frame; blocks only while the server does not read (it always does). */
    public void sendFrame(byte[] body) throws IOException {
        synchronized (connection) {
            connection.send(body);
        }
    }

    /**
     * For a reader that nothing interrupts (a worker's tasks run on its reading threads, but an interrupt meant for
     * a task is cleared before the thread reads again): {@link #receive} then waits without waking every
     * {@value ZmtpConnection#CHECK_MS} ms, each wake-up a {@code SocketTimeoutException} of about 900 bytes that an
     * idle worker's young generation kept (4 KB/s of its 12 KB/s of growing RSS, JFR allocation samples).
     */
    public void waitWithoutInterruptChecks() throws IOException {
        connection.waitWithoutInterruptChecks();
    }

    /**
     * The next message from the kernel, waiting as long as it takes; for one thread only.
     *
     * @throws IOException if the connection ends or the kernel sends bytes that are not a message
     */
    public Message receive() throws IOException {
        try {
            return connection.receive(codec::decode);
        } catch (ZmtpConnection.Interrupted e) {
            throw new InterruptedIOException("interrupted while waiting for the server");
        } catch (CodecException e) {
            throw new ZmtpConnection.ProtocolException("the kernel sent a frame that is not a message: " + e.getMessage());
        }
    }

    /**
     * The next frame from the server, waiting as long as it takes; for one thread only.
     *
     * @throws InterruptedIOException if the calling thread is interrupted meanwhile (the connection is then closed)
     * @throws IOException            if the connection ends
     */
    public byte[] receiveFrame() throws IOException {
        try {
            return connection.receive();
        } catch (ZmtpConnection.Interrupted e) {
            throw new InterruptedIOException("interrupted while waiting for the server");
        }
    }

    @Override
    public void close() {
        connection.close();
    }
}
