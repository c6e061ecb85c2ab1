package org.jparallel.internal.wire;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.io.IOException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * What the wire's tests share: a {@link WireServer} on a fresh secret, bound before each test and closed
 * after it, that queues every message it hands over with its authenticated sender.
 */
abstract class WireServerFixture {

    /** The peer id the tests' clients authenticate with. */
    static final int PEER = 7;
    /** The limit on each wait of a test. */
    static final long WAIT_S = 10;

    /** A message as the server handed it over, with its authenticated sender. */
    record Received(int peer, Message message) {
    }

    final byte[] secret = PeerAuthentication.newSecret();
    final MessageCodec codec = new MessageCodec();
    final LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();
    /** The server under test; a test may close it and put another in its place. */
    WireServer server;

    @BeforeEach
    void bind() throws IOException {
        server = newServer(this::receive, "test-wire");
    }

    /** A server on {@link #secret} as the tests' clients reach it: plain loopback here. */
    WireServer newServer(WireServer.Listener listener, String name) throws IOException {
        return new WireServer(secret, codec, listener, name);
    }

    /** Where and how the tests' clients dial {@link #server}. */
    WireAddress dial() {
        return WireAddress.loopback(server.port());
    }

    /** A client of {@link #server} as peer {@link #PEER}, over {@link #dial()}. */
    WireClient connect() throws IOException {
        return WireClient.connect(dial(), PEER, secret, codec);
    }

    @AfterEach
    void close() {
        server.close();
    }

    /** The listener of {@link #server}, for a test that makes a server of its own. */
    void receive(int peer, Message message) {
        received.add(new Received(peer, message));
    }

    /** The next message the server handed over; fails if none comes within {@link #WAIT_S}. */
    Received next() throws InterruptedException {
        Received r = received.poll(WAIT_S, TimeUnit.SECONDS);
        assertNotNull(r, "no message within " + WAIT_S + " s");
        return r;
    }
}
