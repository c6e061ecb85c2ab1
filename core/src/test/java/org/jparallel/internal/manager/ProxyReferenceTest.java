package org.jparallel.internal.manager;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.dataformat.smile.SmileFactory;
import com.fasterxml.jackson.dataformat.smile.SmileGenerator;
import org.jparallel.api.HostBoundException;
import org.jparallel.api.ManagedList;
import org.jparallel.api.ManagedMap;
import org.jparallel.internal.codec.CodecException;
import org.jparallel.internal.codec.ValueCodec;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A manager's proxy in the value codec: tag 24 and its {@link ProxyReference}'s fields ({@link ProxyReferenceType}),
 * never the object's contents. No server is needed: a proxy connects only when it is used.
 */
class ProxyReferenceTest {

    private static final ClassLoader LOADER = ProxyReferenceTest.class.getClassLoader();
    private static final byte[] SECRET = {1, 2, 3, -1};

    private final ValueCodec codec = new ValueCodec(LOADER);

    /**
     * The layout of {@code docs/wire-protocol.md}: {@code [24, kind, port, pid, objectId, secret, 0]} (no TLS
     * address), written here by hand.
     */
    @Test
    void aProxyIsTag24AndTheAddressOfItsObject() throws IOException {
        ManagedProxy list = new ProxyReference(ObjectKind.LIST.code(), 40_000, 1_234_567_890_123L, 7, SECRET, List.of()).open(LOADER);
        assertArrayEquals(tag24(2, 40_000, 1_234_567_890_123L, 7, List.of()), codec.encode(list, "list"));
    }

    /** A pool's manager that serves other hosts: each TLS address as its raw IP bytes and port, IPv4 and IPv6 alike. */
    @Test
    void theTlsAddressesOfAManagerThatServesOtherHostsTravelWithItsProxies() throws IOException {
        List<InetSocketAddress> tls = List.of(new InetSocketAddress(InetAddress.getByName("10.213.1.1"), 41_000),
                new InetSocketAddress(InetAddress.getByName("fd00::1"), 41_001));
        ManagedProxy map = new ProxyReference(ObjectKind.MAP.code(), 40_000, 12, 3, SECRET, tls).open(LOADER);
        byte[] bytes = codec.encode(map, "map");
        assertArrayEquals(tag24(1, 40_000, 12, 3, tls), bytes);
        assertEquals(tls, ((ManagedProxy) codec.decode(bytes)).reference().tls());
        // and such a proxy may go to a worker on another host, which reaches its server through TLS
        assertArrayEquals(bytes, codec.reaching("worker 3 on host alpha").encode(map, "map"));
    }

    /** A proxy of a manager that listens on loopback alone (Manager.start()) cannot work on another host. */
    @Test
    void aProxyOfAManagerOfThisHostAloneIsRefusedToAnotherHostNamingItAndThePoolsManager() {
        ManagedProxy list = new ProxyReference(ObjectKind.LIST.code(), 40_000, 12, 7, SECRET, List.of()).open(LOADER);
        HostBoundException e = assertThrows(HostBoundException.class,
                () -> codec.reaching("worker 3 on host alpha").encode(List.of(1, list), "jobs"));
        assertEquals("jobs[1]", e.path());
        assertEquals("worker 3 on host alpha", e.receiver());
        assertEquals(ManagedList.class.getName(), e.offendingClass());
        assertTrue(e.getMessage().startsWith("cannot send jobs (List): jobs[1] is a ManagedList — its manager"
                + " (Manager.start()) listens on this host's loopback only, which worker 3 on host alpha cannot reach."),
                e.getMessage());
        assertTrue(e.getMessage().contains("pool.manager()"), e.getMessage());
    }

    @Test
    void aDecodedProxyIsAProxyOfTheSameObjectOnTheSameServerAlsoInsideAValue() {
        List<ManagedProxy> sent = List.of(new ProxyReference(ObjectKind.MAP.code(), 40_001, 12, 8, SECRET, List.of()).open(LOADER),
                new ProxyReference(ObjectKind.LIST.code(), 40_001, 12, 9, SECRET, List.of()).open(LOADER));
        List<?> copy = (List<?>) codec.decode(codec.encode(sent, "proxies"));
        assertInstanceOf(ManagedMap.class, copy.get(0), "a map proxy, not a copy of the map it also is");
        assertInstanceOf(ManagedList.class, copy.get(1));
        for (int i = 0; i < 2; i++) {
            ProxyReference expected = sent.get(i).reference();
            ProxyReference got = ((ManagedProxy) copy.get(i)).reference();
            assertEquals(List.of(expected.kind(), expected.port(), expected.pid(), expected.object()),
                    List.of(got.kind(), got.port(), got.pid(), got.object()));
            assertArrayEquals(SECRET, got.secret());
        }
    }

    @Test
    void aReferenceOfAnUnknownKindIsACodecErrorNamingAManagerProxy() throws IOException {
        byte[] bytes = tag24(99, 40_002, 12, 8, List.of());
        CodecException e = assertThrows(CodecException.class, () -> codec.decode(bytes));
        assertTrue(e.getMessage().startsWith("cannot decode a manager proxy: "), e.getMessage());
    }

    /** {@code [24, kind, port, pid, objectId, SECRET, count, (ip, port)...]} as Smile. */
    private static byte[] tag24(int kind, int port, long pid, int object, List<InetSocketAddress> tls)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator out = SmileFactory.builder().disable(SmileGenerator.Feature.ENCODE_BINARY_AS_7BIT).build()
                .createGenerator(bytes)) {
            out.writeStartArray();
            out.writeNumber(24);
            out.writeNumber(kind);
            out.writeNumber(port);
            out.writeNumber(pid);
            out.writeNumber(object);
            out.writeBinary(SECRET);
            out.writeNumber(tls.size());
            for (InetSocketAddress address : tls) {
                out.writeBinary(address.getAddress().getAddress());
                out.writeNumber(address.getPort());
            }
            out.writeEndArray();
        }
        return bytes.toByteArray();
    }
}
