package org.jparallel.internal.wire;

import org.jparallel.internal.codec.MessageCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * The wire protocol over real loopback sockets: a scripted peer sends raw frames to an {@link Inbox}
 * and every refusal and acceptance is counted exactly; an {@link Outbox} round-trips every message type.
 */
class WireProtocolTest {

    private static final int PEER = 7;
    private static final long WAIT_S = 10;

    /** A message as the inbox handed it over, with the claimed sender. */
    private record Received(int peer, Message message) {
    }

    private final byte[] secret = Signer.newSecret();
    private final MessageCodec codec = new MessageCodec();
    private final LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private ZContext context;
    private Inbox inbox;

    @BeforeEach
    void bind() {
        context = new ZContext(1);
        inbox = new Inbox(secret, codec, (peer, m) -> received.add(new Received(peer, m)), "test-inbox");
    }

    @AfterEach
    void close() {
        inbox.close();
        context.close();
    }

    private ZMQ.Socket rawPush() {
        ZMQ.Socket push = Outbox.connectPush(context, inbox.port());
        push.setLinger(1000);
        return push;
    }

    private byte[] body(int peer, Message m) {
        return Frames.body(peer, codec.encode(m));
    }

    private Received next() throws InterruptedException {
        Received r = received.poll(WAIT_S, TimeUnit.SECONDS);
        assertNotNull(r, "no message within " + WAIT_S + " s");
        return r;
    }

    @Test
    void aScriptedPeerIsAcceptedOnlyWithTheSecretAndFreshSequenceNumbers() throws Exception {
        Signer good = new Signer(secret);
        Signer other = new Signer(Signer.newSecret());
        ZMQ.Socket push = rawPush();

        byte[] first = good.sign(body(PEER, new Message.Cancel(1)));
        assertSend(push, first);                                                    // accepted (seq 1)
        assertSend(push, first);                                                    // replay: refused
        assertSend(push, other.sign(body(PEER, new Message.Cancel(2))));            // wrong secret: refused
        assertSend(push, "garbage".getBytes(StandardCharsets.US_ASCII));            // too short: refused
        byte[] longGarbage = new byte[200];
        new java.util.Random(1).nextBytes(longGarbage);
        assertSend(push, longGarbage);                                              // long garbage: refused
        assertSend(push, good.sign(Frames.body(PEER, "not smile at all".getBytes(StandardCharsets.UTF_8)))); // not a message
        assertSend(push, good.sign(Frames.body(PEER, codec.encode(new Message.Exit())).clone()) /* seq 3 */);
        byte[] older = new Signer(secret).sign(body(PEER, new Message.Cancel(3)));  // seq 1 again, fresh signer
        assertSend(push, older);                                                    // older sequence: refused
        assertSend(push, good.sign(body(PEER, new Message.Cancel(4))));            // accepted (seq 4): the barrier

        assertEquals(new Received(PEER, new Message.Cancel(1)), next());
        assertEquals(new Received(PEER, new Message.Exit()), next());
        assertEquals(new Received(PEER, new Message.Cancel(4)), next());
        // frames from one socket arrive in order, so everything before the barrier has been judged
        assertEquals(6, inbox.refusedCount());
        assertNull(received.poll(200, TimeUnit.MILLISECONDS), "nothing else was accepted");
        assertEquals(6, inbox.refusedCount());
        push.close();
    }

    @Test
    void eachPeerHasItsOwnSequenceButCannotForgeAnothersId() throws Exception {
        ZMQ.Socket push = rawPush();
        Signer a = new Signer(secret);
        Signer b = new Signer(secret);
        byte[] fromA = a.sign(body(1, new Message.Cancel(10)));
        assertSend(push, fromA);
        assertSend(push, b.sign(body(2, new Message.Cancel(20)))); // peer 2, seq 1: a new peer, accepted
        // a frame of peer 1 with its peer id rewritten to 3: the MAC covers the id, so it is refused
        byte[] forged = fromA.clone();
        java.nio.ByteBuffer.wrap(forged, Signer.HEADER_BYTES, Integer.BYTES).putInt(3);
        assertSend(push, forged);
        assertSend(push, a.sign(body(1, new Message.Cancel(11))));
        assertEquals(new Received(1, new Message.Cancel(10)), next());
        assertEquals(new Received(2, new Message.Cancel(20)), next());
        assertEquals(new Received(1, new Message.Cancel(11)), next());
        assertEquals(1, inbox.refusedCount());
        push.close();
    }

    private static void assertSend(ZMQ.Socket push, byte[] frame) {
        assertEquals(true, push.send(frame, 0));
    }

    @Test
    void theInboxListensOnLoopbackOnly() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), inbox.port()), 5000);
        }
        List<InetAddress> others = nonLoopbackIpv4();
        assumeFalse(others.isEmpty(), "this machine has no non-loopback IPv4 address");
        for (InetAddress address : others) {
            try (Socket s = new Socket()) {
                assertThrows(IOException.class, () -> s.connect(new InetSocketAddress(address, inbox.port()), 5000),
                        "the inbox accepted a connection on " + address.getHostAddress());
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
    void everyMessageTypeSurvivesAnOutboxToInboxRoundTrip() throws Exception {
        Message.Failure cause = new Message.Failure(4, Message.FailureKind.EXCEPTION, "java.io.IOException", "disk",
                List.of(), null);
        Message.Failure failure = new Message.Failure(4, Message.FailureKind.EXCEPTION,
                "java.lang.IllegalStateException", "wrapped ✓", List.of(
                new Message.Frame("a.B", "c", "B.java", 12), new Message.Frame("d.E", "f", null, -2)), cause);
        Map<String, byte[]> classes = new LinkedHashMap<>();
        classes.put("REPL.$JShell$11", new byte[] {(byte) 0xCA, (byte) 0xFE, 0, 1});
        classes.put("REPL.$JShell$12", new byte[0]);
        List<Message> sent = List.of(
                new Message.Hello(3, 4242L, 55555),
                new Message.Output(9, false, "héllo\n"),
                new Message.Output(9, true, ""),
                new Message.Done(9, new byte[] {1, 2, 3, (byte) 0xFF}, List.of(failure,
                        new Message.Failure(5, Message.FailureKind.NOT_SENDABLE, null, "result is a Thread", List.of(), null),
                        new Message.Failure(-1, Message.FailureKind.CANCELLED, null, "cancelled", List.of(), null))),
                new Message.DefineCode(classes, List.of("/tmp/a.jar", "/tmp/b dir/")),
                new Message.SetVariables(List.of(new Message.Variable("REPL.$JShell$11", "x", new byte[] {7}),
                        new Message.Variable("REPL.$JShell$12", "y", new byte[0]))),
                new Message.RunSnippets(10, List.of("REPL.$JShell$11", "REPL.$JShell$12"), true),
                new Message.RunChunk(11, 3, new byte[] {9, 8, 7}, Message.CallShape.TWO_ARGUMENTS, 100, new byte[] {6}),
                new Message.RunChunk(12, 3, null, Message.CallShape.NO_ARGUMENT, 0, new byte[0]),
                new Message.Cancel(0),
                new Message.Cancel(Long.MAX_VALUE),
                new Message.Exit(),
                new Message.Exit(1));

        Outbox outbox = new Outbox(21, secret, codec, null, "test-outbox");
        try {
            outbox.connect(0, inbox.port());
            sent.forEach(m -> outbox.send(0, m));
            for (Message m : sent) {
                Received r = next();
                assertEquals(21, r.peer());
                assertSameMessage(m, r.message());
            }
        } finally {
            outbox.close();
        }
        assertEquals(0, inbox.refusedCount());
    }

    private static void assertSameMessage(Message expected, Message actual) {
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
            assertEquals(e.classpath(), a.classpath());
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
        assertInstanceOf(Message.class, actual);
    }
}
