package org.jparallel.internal.wire;

import org.jparallel.internal.codec.CodecException;
import org.jparallel.internal.codec.MessageCodec;

import java.io.IOException;
import java.io.InterruptedIOException;

/**
 * A worker's end of the wire: one ZMTP 3.0 connection (as a DEALER) to the kernel's {@link WireServer}
 * on 127.0.0.1, authenticated both ways with the pool's secret before any message
 * ({@link PeerAuthentication}).
 *
 * <p>One thread reads ({@link #receive}); any thread may {@link #send}, which writes on the caller's
 * thread. The socket is a plain {@code java.net.Socket}, which an interrupt does not close, so a task
 * thread that is being cancelled can still report.
 */
public final class WireClient implements AutoCloseable {

    private final ZmtpConnection connection;
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
        ZmtpConnection connection;
        try {
            connection = ZmtpConnection.connect(port, null);
        } catch (ZmtpConnection.Interrupted e) {
            throw new InterruptedIOException("interrupted while connecting to the kernel");
        }
        try {
            byte[] challenge = connection.receive();
            if (challenge.length != PeerAuthentication.NONCE_BYTES) {
                throw new ZmtpConnection.ProtocolException("the kernel's challenge has " + challenge.length + " bytes");
            }
            byte[] answer = PeerAuthentication.answer(secret, challenge, self);
            connection.send(answer);
            if (!PeerAuthentication.checkProof(secret, challenge, answer, connection.receive())) {
                throw new ZmtpConnection.ProtocolException("the server on port " + port
                        + " did not prove that it holds the pool's secret");
            }
        } catch (ZmtpConnection.Interrupted e) {
            connection.close();
            throw new InterruptedIOException("interrupted while authenticating to the kernel");
        } catch (IOException | RuntimeException e) {
            connection.close();
            throw e;
        }
        return new WireClient(connection, codec);
    }

    /** Sends a message; blocks only while the kernel does not read (it always does). */
    public void send(Message message) throws IOException {
        byte[] body = codec.encode(message);
        synchronized (connection) {
            connection.send(body);
        }
    }

    /**
     * The next message from the kernel, waiting as long as it takes; for one thread only.
     *
     * @throws IOException if the connection ends or the kernel sends bytes that are not a message
     */
    public Message receive() throws IOException {
        try {
            return codec.decode(connection.receive());
        } catch (ZmtpConnection.Interrupted e) {
            throw new InterruptedIOException("interrupted while waiting for the kernel");
        } catch (CodecException e) {
            throw new ZmtpConnection.ProtocolException("the kernel sent a frame that is not a message: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        connection.close();
    }
}
