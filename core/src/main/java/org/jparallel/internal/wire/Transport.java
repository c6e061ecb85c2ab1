package org.jparallel.internal.wire;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * How a {@link WireServer} connection moves bytes over its non-blocking socket: as they are
 * ({@link #plain}, loopback peers) or through TLS 1.3 ({@link TlsTransport}, peers on other hosts).
 * The server chooses by the listener a peer connected to; ZMTP runs unchanged on top of either.
 */
interface Transport extends AutoCloseable {

    /** Reads into {@code target} what is available now; -1 once the peer closed. */
    int read(ByteBuffer target) throws IOException;

    /** Writes what the socket takes now; what it does not take stays in {@code sources}. */
    void write(ByteBuffer[] sources) throws IOException;

    /** Whether the transport itself holds bytes for the socket that it could not write yet. */
    boolean hasPendingOutput();

    /** Whether {@link #read} can return more without the socket becoming readable again. */
    boolean hasBufferedInput();

    /** Whether messages can flow: always for plain, once the handshake finished for TLS. */
    boolean open();

    /** Closes the socket (for TLS, after a best-effort close_notify). */
    @Override
    void close() throws IOException;

    /** Bytes as they are, offered to the socket a window at a time ({@link WindowedWrites}). */
    static Transport plain(SocketChannel channel) {
        return new Transport() {
            @Override
            public int read(ByteBuffer target) throws IOException {
                return channel.read(target);
            }

            @Override
            public void write(ByteBuffer[] sources) throws IOException {
                WindowedWrites.write(channel, sources);
            }

            @Override
            public boolean hasPendingOutput() {
                return false;
            }

            @Override
            public boolean hasBufferedInput() {
                return false;
            }

            @Override
            public boolean open() {
                return true;
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }
}
