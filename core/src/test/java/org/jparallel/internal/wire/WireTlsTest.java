package org.jparallel.internal.wire;

import org.jparallel.testing.Await;
import org.jparallel.testing.FreshThreads;
import org.junit.jupiter.api.Test;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The wire's TLS transport over real sockets: a {@link WireServer} with a TLS listener (bound to
 * loopback here; to a veth address in {@code RemoteWorkerHostsIT}) and the credentials of a fresh
 * {@link PoolAuthority}. Every test of {@link WireProtocolTest} runs here too, its clients over TLS
 * (large frames, a full socket, an interrupted sender, the selector thread's own sends). Only a peer with a certificate of this pool's authority gets to ZMTP; what
 * crosses the socket, read by a relay in the middle, shows none of what was sent.
 */
class WireTlsTest extends WireProtocolTest {

    private static final long SILENCE_MS = 300;
    /** Text no TLS record may show, sent both ways. */
    private static final String KNOWN = "the-known-payload-" + "0123456789".repeat(8);

    private final PoolAuthority authority = PoolAuthority.create("test");
    private final TlsIdentity serverIdentity = authority.issueServer();
    private final TlsIdentity clientIdentity = authority.issueClient();

    @Override
    WireServer newServer(WireServer.Listener listener, String name) throws IOException {
        return new WireServer(secret, codec, listener, name, 5000, tlsListener(serverIdentity));
    }

    @Override
    WireAddress dial() {
        return tls(clientIdentity);
    }

    private WireServer tlsServer(TlsIdentity identity, long handshakeMillis) throws IOException {
        return new WireServer(secret, codec, this::receive, "test-tls-wire", handshakeMillis, tlsListener(identity));
    }

    private static WireServer.TlsListener tlsListener(TlsIdentity identity) {
        return new WireServer.TlsListener(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), identity);
    }

    private WireAddress tls(TlsIdentity client) {
        return WireAddress.tls(server.remoteAddress(), client);
    }

    @Test
    void aClientsReadSurvivesTheTimeoutsOfItsInterruptChecks() throws Exception {
        // the client's reads time out every CHECK_MS to look for an interrupt: its SSLSocket must stay usable
        try (WireClient client = connect()) {
            CompletableFuture<Message> reply = CompletableFuture.supplyAsync(() -> {
                try {
                    return client.receive();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }, FreshThreads.EACH);
            assertNull(received.poll(3L * ZmtpConnection.CHECK_MS, TimeUnit.MILLISECONDS));
            server.send(PEER, new Message.Output(1, false, KNOWN));
            assertEquals(new Message.Output(1, false, KNOWN), reply.get(WAIT_S, TimeUnit.SECONDS));
        }
        assertEquals(0, server.refusedCount());
    }

    @Test
    void aServerOfFramesTakesTlsClientsAsAManagerWould() throws Exception {
        byte[] known = KNOWN.getBytes(StandardCharsets.UTF_8);
        WireServer[] echo = new WireServer[1];
        echo[0] = WireServer.forClients(secret, (peer, body) -> echo[0].sendFrame(peer, body), "test-tls-frames",
                tlsListener(serverIdentity));
        try (WireServer frames = echo[0];
             WireClient client = WireClient.connectForFrames(WireAddress.tls(frames.remoteAddress(), clientIdentity), secret)) {
            client.sendFrame(known);
            assertArrayEquals(known, client.receiveFrame());
        }
    }

    @Test
    void aPlaintextPeerIsRefusedOnTheTlsListenerWhileLoopbackStaysPlain() throws Exception {
        IOException plainOnTls = assertThrows(IOException.class,
                () -> WireClient.connect(WireAddress.loopback(server.remoteAddress().getPort()), PEER, secret, codec));
        assertNotNull(plainOnTls.getMessage());
        assertRefusals(1);
        // the loopback listener of the same server keeps the plain path
        try (WireClient plain = WireClient.connect(server.port(), PEER, secret, codec)) {
            plain.send(new Message.Exit());
            assertEquals(new Received(PEER, new Message.Exit()), next());
        }
    }

    @Test
    void aPeerWhoseCertificateAnotherAuthorityIssuedIsRefused() throws Exception {
        presentForeignCertificate(PoolAuthority.create("other").issueClient());
        assertRefusals(1);
        // the kernel's own certificate is for a server: it does not let a peer in as a client either
        assertThrows(IOException.class, () -> WireClient.connect(tls(serverIdentity), PEER, secret, codec));
        assertRefusals(2);
        assertNull(received.poll(100, TimeUnit.MILLISECONDS), "nothing was accepted");
    }

    /**
     * A TLS 1.3 handshake with another authority's client certificate, presented whatever CA the server
     * asks for (the JDK's own key manager would present none), trusting this pool's CA; then one read.
     */
    private void presentForeignCertificate(TlsIdentity foreign) throws Exception {
        String pem = new String(foreign.encode(), StandardCharsets.US_ASCII);
        String key = pem.substring(pem.indexOf("-----BEGIN PRIVATE KEY-----") + 27, pem.indexOf("-----END PRIVATE KEY-----"));
        PrivateKey privateKey = KeyFactory.getInstance("EC")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(key)));
        X509ExtendedKeyManager presenter = new X509ExtendedKeyManager() {
            @Override
            public String[] getClientAliases(String keyType, Principal[] issuers) {
                return new String[]{"foreign"};
            }

            @Override
            public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
                return "foreign";
            }

            @Override
            public String[] getServerAliases(String keyType, Principal[] issuers) {
                return null;
            }

            @Override
            public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
                return null;
            }

            @Override
            public X509Certificate[] getCertificateChain(String alias) {
                return new X509Certificate[]{foreign.certificate()};
            }

            @Override
            public PrivateKey getPrivateKey(String alias) {
                return privateKey;
            }
        };
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("pool", clientIdentity.authority());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(new KeyManager[]{presenter}, trust.getTrustManagers(), null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
            socket.connect(server.remoteAddress(), 5000);
            socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_S));
            socket.setEnabledProtocols(new String[]{"TLSv1.3"});
            // TLS 1.3: the client may finish before the server checked its certificate; the read sees the end
            assertThrows(IOException.class, () -> {
                socket.startHandshake();
                if (socket.getInputStream().read() < 0) {
                    throw new EOFException("the server hung up");
                }
            });
        }
    }

    @Test
    void aClientRefusesAServerWhoseCertificateAnotherAuthorityIssued() throws Exception {
        server.close();
        server = tlsServer(PoolAuthority.create("impostor").issueServer(), 5000);
        IOException refused = assertThrows(IOException.class,
                () -> WireClient.connect(tls(clientIdentity), PEER, secret, codec));
        assertInstanceOf(SSLException.class, refused.getCause(), refused.toString());
        assertTrue(refused.getMessage().contains(server.remoteAddress().getAddress().getHostAddress()),
                "says which address it tried: " + refused.getMessage());
    }

    @Test
    void aPeerThatSaysNothingIsDroppedWithinTheHandshakeLimit() throws Exception {
        server.close();
        server = tlsServer(serverIdentity, SILENCE_MS);
        try (Socket mute = connect(server.remoteAddress())) {
            byte[] said = mute.getInputStream().readAllBytes(); // until the server hangs up
            assertTrue(said.length == 0 || said[0] == 0x15, "the server says nothing before TLS but an alert");
        }
        assertEquals(0, server.refusedCount());
    }

    @Test
    void whatCrossesTheSocketShowsNoneOfTheMessagesAndTheSameRelayShowsPlaintextOnLoopback() throws Exception {
        byte[] known = KNOWN.getBytes(StandardCharsets.UTF_8);
        try (Relay relay = new Relay(server.remoteAddress())) {
            exchangeKnown(WireAddress.tls(relay.address(), clientIdentity));
            assertFalse(relay.contains(known), "the known payload crossed in plaintext over TLS");
            assertFalse(relay.contains(Zmtp.greeting()), "the ZMTP greeting crossed in plaintext over TLS");
            assertTrue(relay.carried() > 2 * known.length, "the relay saw the exchange");
        }
        // the same relay in front of the plain listener sees the payload: the capture above could fail
        try (Relay relay = new Relay(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()))) {
            exchangeKnown(WireAddress.loopback(relay.address().getPort()));
            assertTrue(relay.contains(known), "the relay does not see what crosses it");
        }
    }

    private void exchangeKnown(WireAddress to) throws Exception {
        try (WireClient client = WireClient.connect(to, PEER, secret, codec)) {
            client.send(new Message.Output(2, false, KNOWN));
            assertEquals(new Received(PEER, new Message.Output(2, false, KNOWN)), next());
            server.send(PEER, new Message.Output(3, true, KNOWN));
            assertEquals(new Message.Output(3, true, KNOWN), client.receive());
        }
    }

    /**
     * Waits until the server counted at least {@code expected} refusals: the client may see its end fail
     * before the server counts. At least, not exactly: a loopback port is open to every process of this
     * shared machine, and a JDK 25 run once counted two plaintext connections no test made.
     */
    private void assertRefusals(long expected) {
        Await.until(expected + " refusals", Duration.ofSeconds(WAIT_S), () -> server.refusedCount() >= expected);
    }

    private static Socket connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        socket.connect(address, 5000);
        socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_S));
        return socket;
    }

    /** A TCP relay for one connection that keeps a copy of every byte it passes, both ways. */
    private static final class Relay implements AutoCloseable {
        private final ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        private final ByteArrayOutputStream seen = new ByteArrayOutputStream();
        private final InetSocketAddress target;

        Relay(InetSocketAddress target) throws IOException {
            this.target = target;
            FreshThreads.EACH.execute(this::serve);
        }

        InetSocketAddress address() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
        }

        private void serve() {
            try (Socket in = listener.accept(); Socket out = connect(target)) {
                CompletableFuture<Void> back = CompletableFuture.runAsync(() -> pump(out, in), FreshThreads.EACH);
                pump(in, out);
                back.get(WAIT_S, TimeUnit.SECONDS);
            } catch (Exception e) {
                // the test sees what was carried; a relay that failed carried nothing
            }
        }

        private void pump(Socket from, Socket to) {
            byte[] buffer = new byte[8192];
            try {
                InputStream source = from.getInputStream();
                OutputStream sink = to.getOutputStream();
                for (int n; (n = source.read(buffer)) >= 0; ) {
                    synchronized (seen) {
                        seen.write(buffer, 0, n);
                    }
                    sink.write(buffer, 0, n);
                }
                to.shutdownOutput();
            } catch (IOException e) {
                // one side hung up
            }
        }

        int carried() {
            synchronized (seen) {
                return seen.size();
            }
        }

        boolean contains(byte[] needle) {
            byte[] all;
            synchronized (seen) {
                all = seen.toByteArray();
            }
            outer:
            for (int i = 0; i + needle.length <= all.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (all[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return true;
            }
            return false;
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }
}
