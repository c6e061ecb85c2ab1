package org.jparallel.internal.wire;

import org.jparallel.testing.FreshThreads;
import org.junit.jupiter.api.Test;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * The wire protocol over real loopback sockets: scripted peers connect to a {@link WireServer} and every
 * refusal and acceptance is counted exactly; a {@link WireClient} round-trips every message type both
 * ways. That a libzmq socket can take a worker's place is {@link ZeroMqPeerIT}. {@link WireTlsTest} runs
 * these tests again with a TLS listener beside the loopback one: those that connect with
 * {@link #connect()} go through TLS there, those that script raw sockets still reach the loopback port.
 */
class WireProtocolTest extends WireServerFixture {

    /** How long the server in the test of silent peers waits for an answer (the default is 5 s). */
    private static final long SILENCE_MS = 300;

    /** A DEALER that completed the ZMTP handshake and read the server's challenge. */
    private record Scripted(ZmtpConnection connection, byte[] challenge) {
        static Scripted connect(int port) throws Exception {
            ZmtpConnection connection = ZmtpConnection.connect(port);
            return new Scripted(connection, connection.receive());
        }

        /** Asserts that the server closed this connection. */
        void assertDropped() {
            assertThrows(EOFException.class, connection::receive);
            connection.close();
        }
    }

    @Test
    void onlyAPeerThatAnswersTheChallengeWithTheSecretIsAccepted() throws Exception {
        Scripted wrongSecret = Scripted.connect(server.port());
        wrongSecret.connection().send(PeerAuthentication.answer(PeerAuthentication.newSecret(), wrongSecret.challenge(), PEER));
        wrongSecret.assertDropped();
        assertEquals(1, server.refusedCount());

        Scripted garbage = Scripted.connect(server.port());
        garbage.connection().send("let me in".getBytes(StandardCharsets.US_ASCII));
        garbage.assertDropped();
        assertEquals(2, server.refusedCount());

        // a good answer, recorded, then replayed on another connection: its challenge differs
        Scripted recorded = Scripted.connect(server.port());
        byte[] answer = PeerAuthentication.answer(secret, recorded.challenge(), PEER);
        Scripted replay = Scripted.connect(server.port());
        assertEquals(PeerAuthentication.NONCE_BYTES, replay.challenge().length);
        assertFalse(Arrays.equals(recorded.challenge(), replay.challenge()), "every connection gets a fresh challenge");
        replay.connection().send(answer);
        replay.assertDropped();
        assertEquals(3, server.refusedCount());

        // the recorded connection answers for itself: accepted, and the server proves it holds the secret too
        recorded.connection().send(answer);
        assertTrue(PeerAuthentication.checkProof(secret, recorded.challenge(), answer, recorded.connection().receive()));
        recorded.connection().send(codec.encode(new Message.Cancel(1)));
        recorded.connection().send(codec.encode(new Message.Exit()));
        assertEquals(new Received(PEER, new Message.Cancel(1)), next());
        assertEquals(new Received(PEER, new Message.Exit()), next());

        // an authenticated peer's frame that is not a message ends its connection: dropping the frame could
        // leave a task waiting for ever for the answer it held, while a lost worker is reported and replaced
        recorded.connection().send("not smile at all".getBytes(StandardCharsets.UTF_8));
        recorded.assertDropped();
        assertEquals(3, server.refusedCount());
        assertNull(received.poll(100, TimeUnit.MILLISECONDS), "nothing else was accepted");
    }

    @Test
    void aPeerThatBreaksTheProtocolIsDroppedBeforeItCanSendAMessage() throws Exception {
        // not ZMTP at all (as long as a greeting, so the server reads every byte before it hangs up)
        try (Socket http = loopback(server.port())) {
            String request = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
            http.getOutputStream().write((request + " ".repeat(Zmtp.GREETING_BYTES - request.length()))
                    .getBytes(StandardCharsets.US_ASCII));
            assertEndsAfterGreeting(http.getInputStream());
        }
        assertEquals(1, server.refusedCount());

        // ZMTP, but a PUB socket
        try (Socket pub = loopback(server.port())) {
            OutputStream out = pub.getOutputStream();
            out.write(Zmtp.greeting());
            out.write(Zmtp.frame(Zmtp.FLAG_COMMAND, Zmtp.ready("PUB")));
            assertEndsAfterGreeting(pub.getInputStream());
        }
        assertEquals(2, server.refusedCount());

        // before authenticating: a frame that claims to be huge, a multi-part message
        byte[][] badFrames = {Zmtp.header(0, 64 * 1024).array(), Zmtp.frame(Zmtp.FLAG_MORE, new byte[0])};
        for (byte[] bad : badFrames) {
            try (Socket dealer = loopback(server.port())) {
                OutputStream out = dealer.getOutputStream();
                out.write(Zmtp.greeting());
                out.write(Zmtp.frame(Zmtp.FLAG_COMMAND, Zmtp.ready("DEALER")));
                out.write(bad);
                assertEndsAfterGreeting(dealer.getInputStream());
            }
        }
        assertEquals(4, server.refusedCount());
        assertNull(received.poll(100, TimeUnit.MILLISECONDS));
    }

    @Test
    void aPeerThatSaysNothingIsDroppedWithoutCountingAsARefusal() throws Exception {
        server.close();
        server = new WireServer(secret, codec, this::receive, "test-wire", SILENCE_MS);
        Scripted silent = Scripted.connect(server.port()); // greets, then never answers
        silent.assertDropped();
        try (Socket mute = loopback(server.port())) {
            assertEndsAfterGreeting(mute.getInputStream());
        }
        assertEquals(0, server.refusedCount());
    }

    private static Socket loopback(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_S));
        return socket;
    }

    /** Reads what the server sent (greeting, READY, challenge) until it closes the connection. */
    private static void assertEndsAfterGreeting(InputStream in) throws IOException {
        byte[] all = in.readAllBytes();
        assertTrue(all.length >= Zmtp.GREETING_BYTES, "the server greets first");
        assertEquals((byte) 0xFF, all[0]);
    }

    @Test
    void theServerListensOnLoopbackOnly() throws Exception {
        loopback(server.port()).close();
        List<InetAddress> others = nonLoopbackIpv4();
        assumeFalse(others.isEmpty(), "this machine has no non-loopback IPv4 address");
        for (InetAddress address : others) {
            try (Socket s = new Socket()) {
                assertThrows(IOException.class, () -> s.connect(new InetSocketAddress(address, server.port()), 5000),
                        "the wire accepted a connection on " + address.getHostAddress());
            }
        }
    }

    private static List<InetAddress> nonLoopbackIpv4() throws SocketException {
        List<InetAddress> found = new ArrayList<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
                    found.add(a);
                }
            }
        }
        return found;
    }

    @Test
    void aClientRefusesAServerThatCannotProveItHoldsTheSecret() throws Exception {
        try (ServerSocket impostor = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> serving = CompletableFuture.runAsync(() -> {
                try (ZmtpConnection c = ZmtpConnection.accept(impostor.accept())) {
                    c.send(PeerAuthentication.challenge());
                    c.receive();
                    c.send(new byte[32]); // a proof it cannot make
                    c.receive(); // until the client hangs up
                } catch (IOException | ZmtpConnection.Interrupted e) {
                    // the client hung up
                }
            }, FreshThreads.EACH);
            ZmtpConnection.ProtocolException refused = assertThrows(ZmtpConnection.ProtocolException.class,
                    () -> WireClient.connect(impostor.getLocalPort(), PEER, secret, codec));
            assertTrue(refused.getMessage().contains("did not prove"), refused.getMessage());
            serving.get(WAIT_S, TimeUnit.SECONDS);
        }
    }

    @Test
    void everyMessageTypeCrossesBothWaysInOrderLargeFramesIncluded() throws Exception {
        List<Message> messages = everyMessageType();
        try (WireClient client = connect()) {
            for (Message m : messages) {
                client.send(m);
            }
            for (Message m : messages) {
                Received r = next();
                assertEquals(PEER, r.peer());
                assertSameMessage(m, r.message());
            }
            for (Message m : messages) {
                server.send(PEER, m);
            }
            for (Message m : messages) {
                assertSameMessage(m, client.receive());
            }
        }
        assertEquals(0, server.refusedCount());
    }

    @Test
    void largeFramesArriveWholeAndUnchangedThoughEachEndReadsThemIntoOneReusedArray() throws Exception {
        // larger and smaller than the frame before, all kept until the last arrived: a message that shared the
        // array its frame was read into would show the bytes of a later frame
        int[] sizes = {1 << 20, 300_000, 3 << 20, 20_000, 70_000, 9_000, 2 << 20};
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            byte[] bytes = new byte[sizes[i]];
            Arrays.fill(bytes, (byte) (i + 1));
            bytes[bytes.length - 1] = (byte) -i;
            messages.add(i % 2 == 0 ? new Message.Done(i, bytes, List.of())
                    : new Message.RunChunk(i, 1, null, Message.CallShape.ONE_ARGUMENT, 0, bytes));
        }
        try (WireClient client = connect()) {
            for (Message m : messages) {
                client.send(m);
            }
            List<Message> received = new ArrayList<>();
            for (Message ignored : messages) {
                received.add(next().message());
            }
            for (Message m : messages) {
                server.send(PEER, m);
            }
            List<Message> back = new ArrayList<>();
            for (Message ignored : messages) {
                back.add(client.receive());
            }
            for (int i = 0; i < messages.size(); i++) {
                assertSameMessage(messages.get(i), received.get(i));
                assertSameMessage(messages.get(i), back.get(i));
            }
        }
    }

    /** One message of every type, two of some, with frames larger than the server's read buffer. */
    static List<Message> everyMessageType() {
        Message.Failure cause = new Message.Failure(4, Message.FailureKind.EXCEPTION, "java.io.IOException", "disk",
                List.of(), null);
        Message.Failure failure = new Message.Failure(4, Message.FailureKind.EXCEPTION,
                "java.lang.IllegalStateException", "wrapped ✓", List.of(
                new Message.Frame("a.B", "c", "B.java", 12), new Message.Frame("d.E", "f", null, -2)), cause);
        Map<String, byte[]> classes = new LinkedHashMap<>();
        classes.put("REPL.$JShell$11", new byte[] {(byte) 0xCA, (byte) 0xFE, 0, 1});
        classes.put("REPL.$JShell$12", new byte[0]);
        byte[] large = new byte[3 * 1024 * 1024 + 17]; // larger than the server's read buffer, many times over
        for (int i = 0; i < large.length; i++) {
            large[i] = (byte) (i * 31 + (i >>> 11));
        }
        return List.of(
                new Message.Hello(3, 4242L),
                new Message.Output(9, false, "héllo\n"),
                new Message.Output(9, true, ""),
                new Message.Done(9, new byte[] {1, 2, 3, (byte) 0xFF}, List.of(failure,
                        new Message.Failure(5, Message.FailureKind.NOT_SENDABLE, null, "result is a Thread", List.of(), null),
                        new Message.Failure(-1, Message.FailureKind.CANCELLED, null, "cancelled", List.of(), null))),
                new Message.DefineCode(classes, List.of(new Message.Jar("a.jar", "0".repeat(64), 3),
                        new Message.Jar("b dir", "f".repeat(64), 0))),
                new Message.FetchJar("0".repeat(64), 3),
                new Message.JarPart("0".repeat(64), 0, large, true),
                new Message.JarRefused("0".repeat(64), "gone"),
                new Message.SetVariables(List.of(new Message.Variable("REPL.$JShell$11", "x", new byte[] {7}),
                        new Message.Variable("REPL.$JShell$12", "y", new byte[0]))),
                new Message.RunSnippets(10, List.of("REPL.$JShell$11", "REPL.$JShell$12"), true),
                new Message.RunChunk(11, 3, new byte[] {9, 8, 7}, Message.CallShape.TWO_ARGUMENTS, 100, large),
                new Message.RunChunk(12, 3, null, Message.CallShape.NO_ARGUMENT, 0, new byte[0]),
                new Message.Done(13, large, List.of()),
                new Message.Cancel(0),
                new Message.Cancel(Long.MAX_VALUE),
                new Message.Exit(),
                new Message.Exit(1));
    }

    @Test
    void sendingNeverBlocksNorBreaksTheConnectionWhenThePeerIsSlowOrTheSenderInterrupted() throws Exception {
        try (WireClient client = connect()) {
            client.send(new Message.Hello(0, 1)); // once it arrives, the server knows the peer
            assertEquals(new Received(PEER, new Message.Hello(0, 1)), next());
            int blockBytes = 1 << 20;
            int blocks = 64; // far more than any socket buffer holds while the client reads nothing
            Thread.currentThread().interrupt();
            try {
                for (int i = 0; i < blocks; i++) {
                    byte[] block = new byte[blockBytes]; // a message's arrays are not to change once sent
                    block[0] = (byte) i;
                    server.send(PEER, new Message.Done(i, block, List.of()));
                }
                assertTrue(Thread.currentThread().isInterrupted(), "send leaves the interrupt alone");
            } finally {
                Thread.interrupted();
            }
            for (int i = 0; i < blocks; i++) {
                Message.Done done = (Message.Done) client.receive();
                assertEquals(i, done.task());
                assertEquals((byte) i, done.results()[0]);
                assertEquals(blockBytes, done.results().length);
            }
            client.send(new Message.Exit());
            assertEquals(new Received(PEER, new Message.Exit()), next());
        }
    }

    @Test
    void whatTheSelectorThreadSendsWhileHandlingArrivalsGoesOutWholeAndInOrder() throws Exception {
        server.close();
        // an echo: each message is answered from the selector thread, as the pool dispatches the next task
        WireServer[] echo = new WireServer[1];
        echo[0] = newServer((peer, m) -> {
            echo[0].send(peer, m);
            echo[0].send(peer, new Message.Output(((Message.Cancel) m).task(), false, "x".repeat(300)));
        }, "test-echo");
        server = echo[0];
        int n = 5000;
        try (WireClient client = connect()) {
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 1; i <= n; i++) {
                        client.send(new Message.Cancel(i));
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, FreshThreads.EACH);
            for (int i = 1; i <= n; i++) {
                assertEquals(new Message.Cancel(i), client.receive());
                assertEquals(new Message.Output(i, false, "x".repeat(300)), client.receive());
            }
            sending.get(WAIT_S, TimeUnit.SECONDS);
        }
    }

    static void assertSameMessage(Message expected, Message actual) {
        assertEquals(expected.getClass(), actual.getClass());
        if (expected instanceof Message.Done e) {
            Message.Done a = (Message.Done) actual;
            assertEquals(e.task(), a.task());
            assertArrayEquals(e.results(), a.results());
            assertEquals(e.failures(), a.failures());
        } else if (expected instanceof Message.DefineCode e) {
            Message.DefineCode a = (Message.DefineCode) actual;
            assertEquals(List.copyOf(e.classes().keySet()), List.copyOf(a.classes().keySet()), "class order");
            e.classes().forEach((name, bytes) -> assertArrayEquals(bytes, a.classes().get(name), name));
            assertEquals(e.jars(), a.jars());
        } else if (expected instanceof Message.JarPart e) {
            Message.JarPart a = (Message.JarPart) actual;
            assertEquals(List.of(e.sha256(), e.offset(), e.last()), List.of(a.sha256(), a.offset(), a.last()));
            assertArrayEquals(e.bytes(), a.bytes());
        } else if (expected instanceof Message.SetVariables e) {
            Message.SetVariables a = (Message.SetVariables) actual;
            assertEquals(e.variables().size(), a.variables().size());
            for (int i = 0; i < e.variables().size(); i++) {
                Message.Variable ev = e.variables().get(i);
                Message.Variable av = a.variables().get(i);
                assertEquals(ev.className(), av.className());
                assertEquals(ev.field(), av.field());
                assertArrayEquals(ev.value(), av.value());
            }
        } else if (expected instanceof Message.RunChunk e) {
            Message.RunChunk a = (Message.RunChunk) actual;
            assertEquals(e.task(), a.task());
            assertEquals(e.functionId(), a.functionId());
            assertArrayEquals(e.function(), a.function());
            assertEquals(e.shape(), a.shape());
            assertEquals(e.firstElement(), a.firstElement());
            assertArrayEquals(e.elements(), a.elements());
        } else {
            assertEquals(expected, actual); // records without arrays: equals compares every component
        }
    }
}
