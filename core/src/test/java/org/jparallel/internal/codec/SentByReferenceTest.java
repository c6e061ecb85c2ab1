package org.jparallel.internal.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.dataformat.smile.SmileFactory;
import com.fasterxml.jackson.dataformat.smile.SmileGenerator;
import org.jparallel.api.NotSendableException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.AbstractList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The by-reference hook on its own, with a type of this test's: a value that implements {@link SentByReference}
 * is written as its type's tag and the fields it writes, and the receiver's {@link ReferenceType} with that tag
 * opens it; the codec knows neither. Shared memory's and managers' types are tested in their packages
 * ({@code SharedCodecTest}, {@code ProxyReferenceTest}).
 */
class SentByReferenceTest {

    private static final ClassLoader LOADER = SentByReferenceTest.class.getClassLoader();
    private static final byte[] SEAL = {7, -7};

    /** The seats this process holds, by number: what a reference of {@link SeatsType} is opened against. */
    private static final Map<Integer, Seats> BOOKED = new ConcurrentHashMap<>();

    private final SeatsType seatsType = new SeatsType(31);
    private final ValueCodec codec = new ValueCodec(LOADER, ReferenceTypes.of(seatsType));

    /** A handle to seats held elsewhere; a list too, which the codec would otherwise copy element by element. */
    static final class Seats extends AbstractList<Integer> implements SentByReference {
        final int number;
        final String holder;
        final boolean cancelled;
        private final SeatsType type;

        Seats(SeatsType type, int number, String holder, boolean cancelled) {
            this.type = type;
            this.number = number;
            this.holder = holder;
            this.cancelled = cancelled;
        }

        @Override
        public Integer get(int index) {
            return number * 100 + index;
        }

        @Override
        public int size() {
            return 3;
        }

        @Override
        public ReferenceType referenceType() {
            return type;
        }

        @Override
        public void writeReference(ReferenceOutput out) throws IOException {
            if (cancelled) {
                throw new NotSendableException(out.valueName(), out.valueType(), out.path(), Seats.class.getName(),
                        "Seats", "they were cancelled", "Book new ones.");
            }
            out.writeInt(number);
            out.writeLong(1L << 40);
            out.writeString(holder);
            out.writeBytes(SEAL);
        }
    }

    /** Opens a reference to seats by their number among {@link #BOOKED}; remembers the loader it was given. */
    static final class SeatsType implements ReferenceType {
        private final int tag;
        volatile ClassLoader openedWith;

        SeatsType(int tag) {
            this.tag = tag;
        }

        @Override
        public int tag() {
            return tag;
        }

        @Override
        public String noun() {
            return "seats";
        }

        @Override
        public Object open(ReferenceInput in, ClassLoader loader) throws IOException {
            int number = in.readInt();
            assertEquals(1L << 40, in.readLong());
            assertEquals("Ada", in.readString());
            assertArrayEquals(SEAL, in.readBytes());
            openedWith = loader;
            Seats seats = BOOKED.get(number);
            if (seats == null) {
                throw new IllegalStateException("no seats " + number + " are booked here");
            }
            return seats;
        }
    }

    record Plan(String name, List<Seats> seats) {
    }

    private Seats book(int number) {
        Seats seats = new Seats(seatsType, number, "Ada", false);
        BOOKED.put(number, seats);
        return seats;
    }

    @Test
    void aValueSentByReferenceIsItsTagAndItsFieldsEvenWhenItIsAList() throws IOException {
        Seats seats = book(1);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        try (JsonGenerator out = SmileFactory.builder().disable(SmileGenerator.Feature.ENCODE_BINARY_AS_7BIT).build()
                .createGenerator(expected)) {
            out.writeStartArray();
            out.writeNumber(31);
            out.writeNumber(1);
            out.writeNumber(1L << 40);
            out.writeString("Ada");
            out.writeBinary(SEAL);
            out.writeEndArray();
        }
        byte[] bytes = codec.encode(seats, "seats");
        assertArrayEquals(expected.toByteArray(), bytes);
        assertSame(seats, codec.decode(bytes), "the receiver's type opens the reference: here, the same object");
        assertSame(LOADER, seatsType.openedWith, "with the decoding codec's loader");
    }

    @Test
    void referencesInsideAValueAreOpenedInPlace() {
        Seats first = book(2);
        Seats second = book(3);
        Plan copy = (Plan) codec.decode(codec.encode(new Plan("trip", List.of(first, second, first)), "plan"));
        assertEquals("trip", copy.name());
        assertSame(first, copy.seats().get(0));
        assertSame(second, copy.seats().get(1));
        assertSame(first, copy.seats().get(2));
    }

    @Test
    void aReferenceThatRefusesToBeSentSaysWhereInTheValueItIs() {
        Plan plan = new Plan("trip", List.of(book(4), new Seats(seatsType, 5, "Ada", true)));
        NotSendableException e = assertThrows(NotSendableException.class, () -> codec.encode(plan, "plan"));
        assertEquals("plan", e.name());
        assertEquals("plan.seats[1]", e.path());
        assertEquals("cannot send plan (Plan): plan.seats[1] is a Seats — they were cancelled. Book new ones.",
                e.getMessage());
    }

    @Test
    void aReferenceThatCannotBeOpenedHereIsACodecErrorNamingItsType() {
        byte[] bytes = codec.encode(new Seats(seatsType, 6, "Ada", false), "seats"); // not booked
        CodecException e = assertThrows(CodecException.class, () -> codec.decode(bytes));
        assertEquals("cannot decode seats: no seats 6 are booked here", e.getMessage());
    }

    @Test
    void aReferenceWhoseTypeIsNotInstalledHereIsACodecErrorNamingTheTag() {
        byte[] bytes = codec.encode(List.of("x", book(7)), "xs");
        ValueCodec without = new ValueCodec(LOADER, ReferenceTypes.of());
        CodecException e = assertThrows(CodecException.class, () -> without.decode(bytes));
        assertEquals("cannot decode: the value holds a reference of tag 31, and no reference type with that tag is"
                + " installed in this JVM", e.getMessage());
    }

    @Test
    void aTypeOutsideTheReferenceTagsOrOnATagTakenIsRefused() {
        IllegalArgumentException low = assertThrows(IllegalArgumentException.class,
                () -> ReferenceTypes.of(new SeatsType(22)));
        assertTrue(low.getMessage().contains("has tag 22, outside the tags 23-31"), low.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ReferenceTypes.of(new SeatsType(32)));
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> ReferenceTypes.of(new SeatsType(30), new SeatsType(30)));
        assertTrue(twice.getMessage().endsWith("both have tag 30"), twice.getMessage());
    }

    @Test
    void theInstalledTypesAreSharedMemorysAndManagersFoundAsServices() {
        ReferenceTypes installed = ReferenceTypes.installed();
        assertEquals("a shared object", installed.forTag(23).noun());
        assertEquals("a manager proxy", installed.forTag(24).noun());
        assertThrows(CodecException.class, () -> installed.forTag(25));
    }
}
