package org.jparallel.internal.wire;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * TLS 1.3 over one non-blocking socket of the {@link WireServer}'s selector: an {@link SSLEngine} in
 * server mode that requires the client's certificate. The handshake runs as bytes arrive, on the
 * selector thread (its delegated tasks, the certificate checks, run there too: a few hundred
 * microseconds once per connection); a peer that speaks plaintext or shows a certificate the pool's
 * authority did not issue fails it, and the connection is refused before anything is allocated for
 * it beyond this transport's buffers.
 *
 * <p>All methods hold this object's lock: the selector thread reads, any sender writes, and both may
 * need the engine to wrap (a handshake message, a key update).
 */
final class TlsTransport implements Transport {

    private static final ByteBuffer[] NOTHING = {ByteBuffer.allocate(0)};
    /**
     * Records read or written per system call at most. With one record's buffer it took a system call per
     * 16 KiB each way: over 50 MiB each way the two ends' reads and writes fell from 19,400 to 15,200 (the
     * worker's end unchanged), the CPU per MB within the noise of a loaded machine.
     */
    private static final int RECORDS_PER_CALL = 4;

    private final SocketChannel channel;
    private final SSLEngine engine;
    /** The largest record, encrypted. */
    private final int packetBytes;
    /**
     * Encrypted bytes read and not yet unwrapped, in write mode. On the heap, as {@link #netOut} is: with
     * direct buffers (no copy by the channel) the kernel's end cost more, 7.25-7.63 ms of CPU per MB
     * against 6.87-7.06 under C1, as the cipher then works through the buffer's accessors.
     */
    private ByteBuffer netIn;
    /** Decrypted bytes not yet taken by {@link #read}, in read mode: only what the reader had no room for. */
    private ByteBuffer appIn;
    /** Encrypted bytes not yet written to the socket, in read mode. */
    private ByteBuffer netOut;
    /** Whether what {@link #netIn} holds is less than a record. */
    private boolean needBytes = true;
    private boolean inboundClosed;

    TlsTransport(SocketChannel channel, SSLEngine engine) throws IOException {
        this.channel = channel;
        this.engine = engine;
        this.packetBytes = engine.getSession().getPacketBufferSize();
        this.netIn = ByteBuffer.allocate(RECORDS_PER_CALL * packetBytes);
        this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize()).flip();
        this.netOut = ByteBuffer.allocate(RECORDS_PER_CALL * packetBytes).flip();
        engine.beginHandshake();
    }

    /**
     * Reads into {@code target} what is available now: first what {@link #appIn} kept, else records
     * decrypted straight into {@code target} while it has room for them (no copy through {@link #appIn}).
     */
    @Override
    public synchronized int read(ByteBuffer target) throws IOException {
        if (!appIn.hasRemaining() && !inboundClosed) {
            int read = channel.read(netIn);
            if (read > 0) {
                needBytes = false;
            }
            int start = target.position();
            unwrap(target);
            int unwrapped = target.position() - start;
            if (unwrapped > 0 || appIn.hasRemaining()) {
                return unwrapped + take(target);
            }
            if (read < 0 || inboundClosed) {
                return -1;
            }
            return 0;
        }
        if (inboundClosed && !appIn.hasRemaining()) {
            return -1;
        }
        return take(target);
    }

    /** Moves what {@link #appIn} holds into {@code target} as far as it has room. */
    private int take(ByteBuffer target) {
        int n = Math.min(target.remaining(), appIn.remaining());
        target.put(target.position(), appIn, appIn.position(), n).position(target.position() + n);
        appIn.position(appIn.position() + n);
        return n;
    }

    /**
     * Wraps up to {@value #RECORDS_PER_CALL} records into {@link #netOut} and writes them in one call, as
     * long as the socket takes all; what it does not take waits in {@link #netOut}.
     */
    @Override
    public synchronized void write(ByteBuffer[] sources) throws IOException {
        if (!open()) {
            return; // nothing is sent before the handshake finished (the server greets only then)
        }
        while (flushed() && remaining(sources)) {
            netOut.clear();
            try {
                SSLEngineResult result;
                do {
                    result = engine.wrap(sources, netOut);
                    if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                        throw new SSLException("the TLS session is closed");
                    }
                } while (result.getStatus() == SSLEngineResult.Status.OK
                        && result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING
                        && netOut.remaining() >= packetBytes && remaining(sources));
            } finally {
                netOut.flip();
            }
            handshake();
        }
    }

    @Override
    public synchronized boolean hasPendingOutput() {
        return netOut.hasRemaining();
    }

    @Override
    public synchronized boolean hasBufferedInput() {
        return appIn.hasRemaining() || (netIn.position() > 0 && !needBytes && !inboundClosed);
    }

    @Override
    public synchronized boolean open() {
        return engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING;
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            engine.closeOutbound();
            wrapControl();
        } catch (IOException e) {
            // the peer may be gone already; close_notify is a courtesy
        } finally {
            channel.close();
        }
    }

    /**
     * Unwraps what {@link #netIn} holds into {@code target} while it has room for a record, then into
     * {@link #appIn}, driving the handshake as it goes.
     */
    private void unwrap(ByteBuffer target) throws IOException {
        netIn.flip();
        try {
            while (netIn.hasRemaining() && !inboundClosed) {
                SSLEngineResult result = appIn.hasRemaining() ? null : engine.unwrap(netIn, target);
                if (result == null || result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                    appIn.compact();
                    try {
                        result = engine.unwrap(netIn, appIn);
                    } finally {
                        appIn.flip();
                    }
                }
                switch (result.getStatus()) {
                    case BUFFER_UNDERFLOW -> {
                        needBytes = true;
                        if (netIn.limit() == netIn.capacity()) { // a record larger than the buffer
                            netIn = ByteBuffer.allocate(Math.max(2 * netIn.capacity(), packetBytes))
                                    .put(netIn).flip();
                        }
                        return;
                    }
                    case BUFFER_OVERFLOW -> {
                        if (appIn.hasRemaining()) {
                            return; // taken first; hasBufferedInput() says there is more
                        }
                        appIn = ByteBuffer.allocate(Math.max(2 * appIn.capacity(),
                                engine.getSession().getApplicationBufferSize())).flip();
                    }
                    case CLOSED -> inboundClosed = true;
                    case OK -> handshake();
                    default -> throw new IllegalStateException(result.getStatus().name());
                }
            }
            needBytes = true;
        } catch (SSLException e) {
            throw refusal(e);
        } finally {
            netIn.compact();
        }
    }

    /** Runs the handshake's tasks and sends its messages until it waits for the peer or is done. */
    private void handshake() throws IOException {
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> {
                    Runnable task;
                    while ((task = engine.getDelegatedTask()) != null) {
                        task.run();
                    }
                }
                case NEED_WRAP -> wrapControl();
                default -> {
                    return;
                }
            }
        }
    }

    /** Wraps what the engine has to say on its own (handshake, alert, close_notify) and sends it. */
    private void wrapControl() throws IOException {
        netOut.compact();
        try {
            SSLEngineResult result = engine.wrap(NOTHING, netOut);
            while (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                netOut = ByteBuffer.allocate(netOut.capacity() * 2).put(netOut.flip());
                result = engine.wrap(NOTHING, netOut);
            }
        } finally {
            netOut.flip();
        }
        flushed();
    }

    /** Writes what waits in {@link #netOut}; whether all of it went. */
    private boolean flushed() throws IOException {
        if (netOut.hasRemaining()) {
            channel.write(netOut);
        }
        return !netOut.hasRemaining();
    }

    /** A failed handshake or a broken record: the alert goes out if it can, and the peer is refused. */
    private ZmtpConnection.ProtocolException refusal(SSLException e) {
        try {
            if (engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                wrapControl();
            }
        } catch (IOException | RuntimeException ignored) {
            // the alert is a courtesy
        }
        return new ZmtpConnection.ProtocolException("TLS: " + e.getMessage());
    }

    private static boolean remaining(ByteBuffer[] buffers) {
        for (ByteBuffer buffer : buffers) {
            if (buffer.hasRemaining()) {
                return true;
            }
        }
        return false;
    }
}
