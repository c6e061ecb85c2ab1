package org.jparallel.internal.manager;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.dataformat.smile.SmileFactory;
import com.fasterxml.jackson.dataformat.smile.SmileGenerator;
import org.jparallel.api.ManagedList;
import org.jparallel.api.ManagedMap;
import org.jparallel.internal.codec.CodecException;
import org.jparallel.internal.codec.ValueCodec;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
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

    /** The layout of {@code docs/wire-protocol.md}: {@code [24, kind, port, pid, objectId, secret]}, written here by hand. */
    @Test
    void aProxyIsTag24AndTheAddressOfItsObject() throws IOException {
        ManagedProxy list = new ProxyReference(ObjectKind.LIST.code(), 40_000, 1_234_567_890_123L, 7, SECRET).open(LOADER);
        assertArrayEquals(tag24(2, 40_000, 1_234_567_890_123L, 7), codec.encode(list, "list"));
    }

    @Test
    void aDecodedProxyIsAProxyOfTheSameObjectOnTheSameServerAlsoInsideAValue() {
        List<ManagedProxy> sent = List.of(new ProxyReference(ObjectKind.MAP.code(), 40_001, 12, 8, SECRET).open(LOADER),
                new ProxyReference(ObjectKind.LIST.code(), 40_001, 12, 9, SECRET).open(LOADER));
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
        byte[] bytes = tag24(99, 40_002, 12, 8);
        CodecException e = assertThrows(CodecException.class, () -> codec.decode(bytes));
        assertTrue(e.getMessage().startsWith("cannot decode a manager proxy: "), e.getMessage());
    }

    /** {@code [24, kind, port, pid, objectId, SECRET]} as Smile. */
    private static byte[] tag24(int kind, int port, long pid, int object) throws IOException {
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
            out.writeEndArray();
        }
        return bytes.toByteArray();
    }
}
