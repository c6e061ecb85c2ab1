package org.jparallel.internal.shm;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.dataformat.smile.SmileFactory;
import com.fasterxml.jackson.dataformat.smile.SmileGenerator;
import org.jparallel.api.HostBoundException;
import org.jparallel.api.NotSendableException;
import org.jparallel.api.Shared;
import org.jparallel.api.SharedByteArray;
import org.jparallel.api.SharedDouble;
import org.jparallel.api.SharedInt;
import org.jparallel.api.SharedIntArray;
import org.jparallel.api.SharedLock;
import org.jparallel.api.SharedObject;
import org.jparallel.api.SharedObjectClosedException;
import org.jparallel.api.SharedQueue;
import org.jparallel.internal.codec.CodecException;
import org.jparallel.internal.codec.ValueCodec;
import org.jparallel.testing.NoSegmentsLeft;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shared objects in the value codec: a descriptor of the segment (tag 23, {@link SharedReferenceType}), never the
 * contents.
 */
@ExtendWith(NoSegmentsLeft.class)
class SharedCodecTest {

    private static final long PID = ProcessHandle.current().pid();
    private final ValueCodec codec = new ValueCodec(SharedCodecTest.class.getClassLoader());
    private final List<SharedObject> made = new ArrayList<>();

    record Job(int id, SharedInt counter, SharedLock lock) {
    }

    private <T extends SharedObject> T made(T shared) {
        made.add(shared);
        return shared;
    }

    @AfterEach
    void closeAndCheck() {
        made.forEach(SharedObject::close);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    @Test
    void aMegabyteArrayIsSentAsAFewDozenBytesNamingItsSegment() {
        SharedByteArray big = made(Shared.byteArray(1_000_000));
        big.set(999_999, (byte) 42);
        byte[] bytes = codec.encode(big, "big");
        assertTrue(bytes.length < 120, "descriptor only, " + bytes.length + " bytes");
        String path = SharedMemory.segmentsCreatedBy(PID).get(0).toString();
        assertTrue(text(bytes).contains(path), "the descriptor names " + path);
        assertSame(big, codec.decode(bytes), "the creator gets its own object back");
    }

    /** The layout of {@code docs/wire-protocol.md}: {@code [23, kind, path, offset, length]}, written here by hand. */
    @Test
    void aSharedObjectIsTag23AndItsDescriptorsFieldsAndItsLockAnOffsetIntoItsSegment() throws IOException {
        SharedIntArray array = made(Shared.intArray(5));
        String path = SharedMemory.segmentsCreatedBy(PID).get(0).toString();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        try (JsonGenerator out = SmileFactory.builder().disable(SmileGenerator.Feature.ENCODE_BINARY_AS_7BIT).build()
                .createGenerator(expected)) {
            out.writeStartArray();
            out.writeNumber(13); // an unmodifiable list, as List.of is
            for (int[] kindOffsetLength : new int[][] {{5, 0, 5}, {10, Layout.LOCK_AT, 0}}) { // INT_ARRAY, its RLOCK
                out.writeStartArray();
                out.writeNumber(23);
                out.writeNumber(kindOffsetLength[0]);
                out.writeString(path);
                out.writeNumber(kindOffsetLength[1]);
                out.writeNumber(kindOffsetLength[2]);
                out.writeEndArray();
            }
            out.writeEndArray();
        }
        assertArrayEquals(expected.toByteArray(), codec.encode(List.of(array, array.getLock()), "xs"));
    }

    @Test
    void everyKindComesBackAsTheSameObjectInTheSameJvm() {
        List<SharedObject> all = List.of(made(Shared.intValue(1)), made(Shared.longValue(2)), made(Shared.doubleValue(3)),
                made(Shared.byteValue((byte) 4)), made(Shared.intArray(5)), made(Shared.longArray(6)),
                made(Shared.doubleArray(7)), made(Shared.byteArray(8)), made(Shared.rawValue('i', 9)),
                made(Shared.rawArray('d', 10)), made(Shared.lock()), made(Shared.rlock()));
        for (SharedObject shared : all) {
            assertSame(shared, codec.decode(codec.encode(shared, "x")), shared.toString());
        }
    }

    @Test
    void theLockOfAValueTravelsOnItsOwnAsAnOffsetIntoTheValuesSegment() {
        SharedDouble value = made(Shared.doubleValue(0.5));
        SharedLock lock = value.getLock();
        byte[] bytes = codec.encode(lock, "lock");
        assertSame(lock, codec.decode(bytes));
        assertTrue(text(bytes).contains(SharedMemory.segmentsCreatedBy(PID).get(0).toString()));
        lock.close(); // closing the lock of a value does nothing
        assertEquals(0.5, value.get());
    }

    @Test
    void sharedObjectsInsideRecordsAndCollectionsStayShared() {
        SharedInt counter = made(Shared.intValue(0));
        SharedLock lock = made(Shared.lock());
        List<Job> jobs = List.of(new Job(1, counter, lock), new Job(2, counter, lock));
        @SuppressWarnings("unchecked")
        List<Job> copy = (List<Job>) codec.decode(codec.encode(jobs, "jobs"));
        assertEquals(2, copy.size());
        assertSame(counter, copy.get(0).counter());
        assertSame(counter, copy.get(1).counter());
        assertSame(lock, copy.get(1).lock());
        copy.get(0).counter().incrementAndGet();
        assertEquals(1, counter.get());

        @SuppressWarnings("unchecked")
        List<Object> batch = codec.decodeAll(codec.encodeAll(List.of(counter, Map.of("k", lock)), "args"));
        assertSame(counter, batch.get(0));
        assertSame(lock, ((Map<?, ?>) batch.get(1)).get("k"));
    }

    @Test
    void sendingAClosedObjectIsRefusedWithItsOwnExceptionNamingWhere() {
        SharedInt counter = Shared.intValue(0);
        counter.close();
        SharedObjectClosedException direct = assertThrows(SharedObjectClosedException.class,
                () -> codec.encode(counter, "counter"));
        assertEquals("cannot send counter (SharedInt): counter is a SharedInt — it was closed,"
                + " so its shared memory is released and no other process can map it. Send it before closing it,"
                + " or create a new one (Shared.intValue(…), Shared.lock(), …).", direct.getMessage());
        assertEquals("org.jparallel.api.SharedInt", direct.offendingClass());

        SharedLock open = made(Shared.lock());
        NotSendableException nested = assertThrows(SharedObjectClosedException.class,
                () -> codec.encode(List.of(new Job(7, counter, open)), "jobs"));
        assertEquals("jobs[0].counter", nested.path());
        assertTrue(nested.getMessage().startsWith("cannot send jobs (List): jobs[0].counter is a SharedInt"),
                nested.getMessage());
    }

    /**
     * Values that may reach a worker on another host (a codec {@code reaching} it) refuse this host's shared
     * memory wherever it is inside them, naming where, what, the receiver and the pool's manager; the same
     * codec sends everything else, and the plain one keeps sending shared objects.
     */
    @Test
    void aSharedObjectBoundForAnotherHostIsRefusedNamingItTheReceiverAndTheManager() {
        SharedInt counter = made(Shared.intValue(0));
        SharedQueue<String> queue = made(Shared.queue(4));
        ValueCodec toAlpha = codec.reaching("worker 3 on host alpha");
        HostBoundException direct = assertThrows(HostBoundException.class, () -> toAlpha.encode(counter, "counter"));
        assertEquals("counter", direct.path());
        assertEquals("worker 3 on host alpha", direct.receiver());
        assertEquals("org.jparallel.api.SharedInt", direct.offendingClass());
        assertTrue(direct.getMessage().startsWith("cannot send counter (SharedInt): counter is a SharedInt — it lives"
                + " in this host's shared memory (/dev/shm/"), direct.getMessage());
        assertTrue(direct.getMessage().contains("which worker 3 on host alpha cannot map. Share state across hosts"
                + " through the pool's manager instead: pool.manager().list(), .dict() or .namespace()"),
                direct.getMessage());

        HostBoundException nested = assertThrows(HostBoundException.class,
                () -> toAlpha.encodeAll(List.of(Map.of("q", queue)), "element", 40));
        assertEquals("element[40][q]", nested.path());
        assertEquals("org.jparallel.api.SharedQueue", nested.offendingClass());

        assertEquals(List.of(1, "x"), toAlpha.decode(toAlpha.encode(List.of(1, "x"), "plain")));
        assertSame(counter, codec.decode(codec.encode(counter, "counter")), "this host's receivers still get it");
    }

    @Test
    void decodingADescriptorWhoseSegmentWasClosedSaysSo() {
        SharedInt counter = Shared.intValue(0);
        byte[] bytes = codec.encode(counter, "counter");
        counter.close();
        CodecException e = assertThrows(CodecException.class, () -> codec.decode(bytes));
        assertTrue(e.getMessage().contains("no longer exists"), e.getMessage());
    }
}
