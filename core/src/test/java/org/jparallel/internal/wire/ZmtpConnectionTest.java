package org.jparallel.internal.wire;

import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Frames through {@link ZmtpConnection}: whole however they are cut up on the way, and written from their parts. */
class ZmtpConnectionTest {

    private static final MessageCodec CODEC = new MessageCodec();

    /** A raw peer: a plain socket that has said its greeting and READY as a DEALER, and read the ROUTER's. */
    private static Socket dealer(int port) throws Exception {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        socket.setTcpNoDelay(true);
        OutputStream out = socket.getOutputStream();
        out.write(Zmtp.greeting());
        out.write(Zmtp.frame(Zmtp.FLAG_COMMAND, Zmtp.ready("DEALER")));
        out.flush();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        in.readFully(new byte[Zmtp.GREETING_BYTES]);
        in.readUnsignedByte(); // the READY command's flags: a short frame
        in.readFully(new byte[in.readUnsignedByte()]);
        return socket;
    }

    @Test
    void aLargeMessageCutIntoOddPiecesArrivesWhole() throws Exception {
        byte[] elements = new byte[3 * 1024 * 1024 + 5];
        new Random(15).nextBytes(elements);
        Message message = new Message.RunChunk(7, 1, null, Message.CallShape.ONE_ARGUMENT, 0, elements);
        byte[] frame = Zmtp.frame(0, CODEC.encode(message));
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Socket> peer = CompletableFuture.supplyAsync(() -> {
                try {
                    Socket socket = dealer(server.getLocalPort());
                    OutputStream out = socket.getOutputStream();
                    // cut after the flags byte, inside the size, then in pieces of odd sizes up to 64 KiB
                    int at = 0;
                    Random cuts = new Random(16);
                    for (int piece : new int[] {1, 4, 4}) {
                        out.write(frame, at, piece);
                        out.flush();
                        at += piece;
                    }
                    while (at < frame.length) {
                        int piece = Math.min(frame.length - at, 1 + cuts.nextInt(64 * 1024));
                        out.write(frame, at, piece);
                        out.flush();
                        at += piece;
                    }
                    return socket;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (ZmtpConnection connection = ZmtpConnection.accept(server.accept());
                 Socket socket = peer.get(60, TimeUnit.SECONDS)) {
                Message.RunChunk received = (Message.RunChunk) CODEC.decode(connection.receive());
                assertEquals(7, received.task());
                assertArrayEquals(elements, received.elements());
            }
        }
    }

    @Test
    void aMessageSentFromItsPartsIsTheSameFrame() throws Exception {
        for (int size : new int[] {0, 200, 8_000, 70_000, 2_000_000}) {
            byte[] results = new byte[size];
            new Random(size).nextBytes(results);
            Message message = new Message.Done(size, results, List.of());
            byte[] expected = Zmtp.frame(0, CODEC.encode(message));
            try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                CompletableFuture<Socket> peer = CompletableFuture.supplyAsync(() -> {
                    try {
                        return dealer(server.getLocalPort());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                try (ZmtpConnection connection = ZmtpConnection.accept(server.accept());
                     Socket socket = peer.get(60, TimeUnit.SECONDS)) {
                    ByteBuffer[] parts = CODEC.encodeParts(message);
                    int[] positions = Arrays.stream(parts).mapToInt(ByteBuffer::position).toArray();
                    connection.send(parts);
                    byte[] frame = new byte[expected.length];
                    new DataInputStream(socket.getInputStream()).readFully(frame);
                    assertArrayEquals(expected, frame, "frame of " + size + " bytes of results");
                    assertArrayEquals(positions, Arrays.stream(parts).mapToInt(ByteBuffer::position).toArray(),
                            "sending leaves the parts as they were");
                }
            }
        }
    }
}
