package org.jparallel.internal.codec;

import org.jparallel.api.NotSendableException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.Vector;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValueCodecTest {

    private final ValueCodec codec = new ValueCodec(ValueCodecTest.class.getClassLoader());

    // --- types used as values -------------------------------------------------------------

    enum Color { RED, GREEN }

    enum Op {
        PLUS { @Override int apply(int a, int b) { return a + b; } };

        abstract int apply(int a, int b);
    }

    record Point(int x, int y) {
    }

    private record Line(Point from, Point to, String label) {
    }

    record Labeled<T>(String label, List<T> items) {
    }

    record Task(String name, SerialFunction<Integer, Integer> step) {
    }

    static class Base {
        private int id;
        protected String shadowed = "base";
    }

    static final class Account extends Base {
        private final String owner;
        private final double[] balances;
        private String shadowed = "account";
        private transient String cache = "cached";
        static int created;

        Account(int id, String owner, double... balances) {
            super.shadowed = "base of " + owner;
            ((Base) this).id = id;
            this.owner = owner;
            this.balances = balances;
            created++;
        }
    }

    static final class Node {
        String name;
        Node next;
        Object payload;

        Node(String name) {
            this.name = name;
        }
    }

    static final class Holder {
        Object held;
    }

    /** Serializable with a writeReplace, which the codec deliberately does not call. */
    static final class Replaced implements Serializable {
        final String value;

        Replaced(String value) {
            this.value = value;
        }

        private Object writeReplace() {
            return "replaced";
        }
    }

    static final class CustomList extends AbstractList<String> {
        @Override
        public String get(int index) {
            return "item" + index;
        }

        @Override
        public int size() {
            return 2;
        }
    }

    static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message);
        }
    }

    private Object roundTrip(Object value) throws NotSendableException {
        return codec.decode(codec.encode(value, "value"));
    }

    private void assertKeepsTypeAndValue(Object value) throws NotSendableException {
        Object copy = roundTrip(value);
        assertEquals(value.getClass(), copy.getClass(), "type of " + value);
        assertEquals(value, copy);
    }

    // --- scalars ----------------------------------------------------------------------------

    @Test
    void scalarsKeepTheirExactType() throws Exception {
        for (Object value : List.of(true, false, (byte) -7, (short) 300, 'x', '\u20ac', 42, -1, Integer.MIN_VALUE,
                5L, -5L, Long.MAX_VALUE, 1.5f, Float.MAX_VALUE, 2.25, -0.0, Double.MIN_VALUE, "", "héllo ✓ 𝄞",
                BigInteger.ONE, new BigInteger("123456789012345678901234567890"),
                new BigDecimal("1.50"), new BigDecimal("-3.14159265358979323846264338327950288"))) {
            assertKeepsTypeAndValue(value);
        }
        assertNull(roundTrip(null));
        assertTrue(Double.isNaN((Double) roundTrip(Double.NaN)));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits((Double) roundTrip(-0.0)));
        assertEquals(2, ((BigDecimal) roundTrip(new BigDecimal("1.50"))).scale());
    }

    @Test
    void enumsAndClassesComeBackAsTheSameConstants() throws Exception {
        assertSame(Color.GREEN, roundTrip(Color.GREEN));
        assertSame(Op.PLUS, roundTrip(Op.PLUS));
        assertSame(Comparator.naturalOrder(), roundTrip(Comparator.naturalOrder()));
        for (Class<?> type : List.of(String.class, int.class, void.class, int[][].class, Point.class, Point[].class)) {
            assertSame(type, roundTrip(type));
        }
    }

    // --- arrays -----------------------------------------------------------------------------

    @Test
    void primitiveArraysRoundTrip() throws Exception {
        assertArrayEquals(new boolean[] {true, false, true}, (boolean[]) roundTrip(new boolean[] {true, false, true}));
        assertArrayEquals(new byte[] {1, -2, 127}, (byte[]) roundTrip(new byte[] {1, -2, 127}));
        assertArrayEquals(new short[] {1, -2, 32767}, (short[]) roundTrip(new short[] {1, -2, 32767}));
        assertArrayEquals(new char[] {'a', '\uffff'}, (char[]) roundTrip(new char[] {'a', '\uffff'}));
        assertArrayEquals(new int[] {1, -2, Integer.MAX_VALUE}, (int[]) roundTrip(new int[] {1, -2, Integer.MAX_VALUE}));
        assertArrayEquals(new long[] {1, Long.MIN_VALUE}, (long[]) roundTrip(new long[] {1, Long.MIN_VALUE}));
        assertArrayEquals(new float[] {1.5f, Float.NaN}, (float[]) roundTrip(new float[] {1.5f, Float.NaN}));
        assertArrayEquals(new double[] {-0.0, 1e300}, (double[]) roundTrip(new double[] {-0.0, 1e300}));
        assertArrayEquals(new int[0], (int[]) roundTrip(new int[0]));
    }

    @Test
    void objectArraysKeepTheirComponentType() throws Exception {
        String[] names = (String[]) roundTrip(new String[] {"a", null, "c"});
        assertArrayEquals(new String[] {"a", null, "c"}, names);

        Point[] points = (Point[]) roundTrip(new Point[] {new Point(1, 2), new Point(3, 4)});
        assertArrayEquals(new Point[] {new Point(1, 2), new Point(3, 4)}, points);

        int[][] grid = (int[][]) roundTrip(new int[][] {{1, 2}, {3}, null});
        assertArrayEquals(new int[] {1, 2}, grid[0]);
        assertArrayEquals(new int[] {3}, grid[1]);
        assertNull(grid[2]);

        Object[][] mixed = (Object[][]) roundTrip(new Object[][] {{1, "two", 3L}, {}});
        assertArrayEquals(new Object[] {1, "two", 3L}, mixed[0]);
        assertEquals(Object[].class, mixed[1].getClass());
    }

    // --- collections and maps ---------------------------------------------------------------

    @Test
    void publicJdkCollectionsKeepTheirClass() throws Exception {
        List<Object> elements = List.of(3, "b", new Point(1, 1));
        List<Collection<Object>> collections = List.of(new ArrayList<>(elements), new LinkedList<>(elements),
                new HashSet<>(elements), new LinkedHashSet<>(elements), new CopyOnWriteArrayList<>(elements),
                new Vector<>(elements), new ArrayDeque<>(elements));
        for (Collection<Object> collection : collections) {
            Collection<?> copy = (Collection<?>) roundTrip(collection);
            assertEquals(collection.getClass(), copy.getClass());
            assertEquals(new ArrayList<>(collection), new ArrayList<>(copy), collection.getClass().getName());
        }
        TreeSet<String> sorted = new TreeSet<>(List.of("pear", "apple", "fig"));
        assertKeepsTypeAndValue(sorted);
    }

    @Test
    void publicJdkMapsKeepTheirClassAndOrder() throws Exception {
        Map<Object, Object> entries = new LinkedHashMap<>();
        entries.put("z", 1);
        entries.put(7, List.of(new Point(0, 0)));
        entries.put(Color.RED, null);
        for (Map<Object, Object> map : List.of(new HashMap<>(entries), new LinkedHashMap<>(entries))) {
            assertKeepsTypeAndValue(map);
        }
        assertEquals(List.of("z", 7, Color.RED), new ArrayList<>(((Map<?, ?>) roundTrip(entries)).keySet()));

        Map<String, Integer> tree = new TreeMap<>(Map.of("b", 2, "a", 1));
        assertKeepsTypeAndValue(tree);
        assertKeepsTypeAndValue(new ConcurrentHashMap<>(Map.of("k", 1L)));
    }

    @Test
    void sortedCollectionsKeepTheirComparator() throws Exception {
        TreeSet<String> reversed = new TreeSet<>(Comparator.reverseOrder());
        reversed.addAll(List.of("a", "c", "b"));
        TreeSet<?> reversedCopy = (TreeSet<?>) roundTrip(reversed);
        assertEquals(List.of("c", "b", "a"), new ArrayList<>(reversedCopy));

        Comparator<String> byLength = (Comparator<String> & Serializable) (a, b) -> a.length() - b.length();
        TreeMap<String, Integer> byLengthMap = new TreeMap<>(byLength);
        byLengthMap.putAll(Map.of("ccc", 3, "a", 1, "bb", 2));
        @SuppressWarnings("unchecked")
        TreeMap<String, Integer> byLengthCopy = (TreeMap<String, Integer>) roundTrip(byLengthMap);
        assertEquals(List.of("a", "bb", "ccc"), new ArrayList<>(byLengthCopy.keySet()));
        byLengthCopy.put("dddd", 4);
        assertEquals("dddd", byLengthCopy.lastKey());

        TreeSet<String> byLengthOfJdk = new TreeSet<>(Comparator.comparing((SerialFunction<String, Integer>) String::length));
        byLengthOfJdk.addAll(List.of("ccc", "a", "bb"));
        assertEquals(List.of("a", "bb", "ccc"), new ArrayList<>((TreeSet<?>) roundTrip(byLengthOfJdk)), "a JDK lambda");

        PriorityQueue<Integer> largestFirst = new PriorityQueue<>(Comparator.reverseOrder());
        largestFirst.addAll(List.of(2, 9, 4));
        assertEquals(9, ((PriorityQueue<?>) roundTrip(largestFirst)).peek());
    }

    @Test
    void unmodifiableJdkCollectionsComeBackUnmodifiable() throws Exception {
        List<String> withNull = Collections.unmodifiableList(Arrays.asList("a", null));
        List<Object> immutables = List.of(List.of(1, 2), List.of(), Stream.of(1, 2).toList(),
                Stream.of("x", null).toList(), withNull, Collections.singletonList("s"), Collections.emptyList(),
                Collections.nCopies(2, "n"), Set.of("a", "b"), Collections.unmodifiableSet(new LinkedHashSet<>(List.of(3, 1))),
                Map.of("k", 1), Collections.unmodifiableMap(new HashMap<>(Collections.singletonMap(null, "v"))),
                Collections.emptyMap());
        for (Object immutable : immutables) {
            Object copy = roundTrip(immutable);
            assertEquals(immutable, copy);
            if (copy instanceof Collection<?> collection) {
                assertThrows(UnsupportedOperationException.class, () -> collection.add(null), immutable.toString());
            } else {
                assertThrows(UnsupportedOperationException.class, () -> ((Map<?, ?>) copy).put(null, null));
            }
        }
        assertEquals(List.of(3, 1), new ArrayList<>((Set<?>) roundTrip(Collections.unmodifiableSet(
                new LinkedHashSet<>(List.of(3, 1))))), "iteration order is kept");
    }

    @Test
    void otherImplementationsFallBackToStandardClasses() throws Exception {
        assertEquals(ArrayList.class, roundTrip(Arrays.asList(1, 2)).getClass());
        Object custom = roundTrip(new CustomList());
        assertEquals(ArrayList.class, custom.getClass());
        assertEquals(List.of("item0", "item1"), custom);
        Object keys = roundTrip(new LinkedHashMap<>(Map.of("k", 1)).keySet());
        assertEquals(LinkedHashSet.class, keys.getClass());
        assertEquals(Set.of("k"), keys);
        Object synchronizedMap = roundTrip(Collections.synchronizedMap(new HashMap<>(Map.of(1, 2))));
        assertEquals(LinkedHashMap.class, synchronizedMap.getClass());
        assertEquals(Map.of(1, 2), synchronizedMap);
    }

    @SuppressWarnings("unchecked")
    @Test
    void optionalsEntriesAndSerializableJdkValues() throws Exception {
        assertEquals(Optional.of(new Point(1, 2)), roundTrip(Optional.of(new Point(1, 2))));
        assertEquals(Optional.empty(), roundTrip(Optional.empty()));

        Map.Entry<?, ?> entry = (Map.Entry<?, ?>) roundTrip(new AbstractMap.SimpleEntry<>("k", new Point(3, 4)));
        assertEquals(Map.entry("k", new Point(3, 4)), entry);
        assertThrows(UnsupportedOperationException.class, () -> ((Map.Entry<Object, Object>) entry).setValue(1));

        for (Object value : List.of(LocalDate.of(2024, 2, 29), Instant.ofEpochSecond(1, 2), Duration.ofMillis(1500),
                UUID.randomUUID(), EnumSet.of(Color.GREEN))) {
            assertKeepsTypeAndValue(value);
        }
        assertEquals(7, ((AtomicInteger) roundTrip(new AtomicInteger(7))).get());
        Failure failure = (Failure) roundTrip(new Failure("boom"));
        assertEquals("boom", failure.getMessage());
    }

    // --- records and plain classes ----------------------------------------------------------

    @Test
    void recordsOfAnyAccessibilityAreRebuiltThroughTheirConstructor() throws Exception {
        assertKeepsTypeAndValue(new Point(-1, 7));
        assertKeepsTypeAndValue(new Line(new Point(0, 0), new Point(1, 1), "diagonal"));
        assertKeepsTypeAndValue(new Labeled<>("pts", List.of(new Point(1, 2), new Point(3, 4))));
        record Local(Color color, long count) {
        }
        assertKeepsTypeAndValue(new Local(Color.RED, 10_000_000_000L));
    }

    @Test
    void plainClassesAreRebuiltFromTheirFieldsWithoutAConstructor() throws Exception {
        Account.created = 0;
        Account copy = (Account) roundTrip(new Account(7, "ann", 1.5, 2.5));
        assertEquals(1, Account.created, "the constructor did not run again");
        assertEquals("ann", copy.owner);
        assertEquals(7, ((Base) copy).id);
        assertArrayEquals(new double[] {1.5, 2.5}, copy.balances);
        assertEquals("account", copy.shadowed);
        assertEquals("base of ann", ((Base) copy).shadowed);
        assertNull(copy.cache, "transient fields are not sent");

        Replaced replaced = (Replaced) roundTrip(new Replaced("kept"));
        assertEquals("kept", replaced.value, "writeReplace is not used");
    }

    // --- identity and cycles ----------------------------------------------------------------

    @Test
    void sharedReferencesStayShared() throws Exception {
        Point shared = new Point(5, 5);
        int[] numbers = {1, 2};
        List<Object> list = new ArrayList<>(List.of(shared, shared, numbers, numbers));
        List<?> copy = (List<?>) roundTrip(List.of(list, list));
        List<?> first = (List<?>) copy.get(0);
        assertSame(first, copy.get(1));
        assertSame(first.get(0), first.get(1));
        assertSame(first.get(2), first.get(3));
        assertNotSame(shared, first.get(0));

        List<Object> batch = codec.decodeAll(codec.encodeAll(List.of(shared, shared, "x"), "batch"));
        assertEquals(List.of(shared, shared, "x"), batch);
        assertSame(batch.get(0), batch.get(1));
    }

    @Test
    void cyclesThroughPlainObjectsAndArraysAreRebuilt() throws Exception {
        Node a = new Node("a");
        Node b = new Node("b");
        a.next = b;
        b.next = a;
        Node copy = (Node) roundTrip(a);
        assertEquals("b", copy.next.name);
        assertSame(copy, copy.next.next);

        Object[] selfContaining = new Object[2];
        selfContaining[0] = selfContaining;
        selfContaining[1] = "end";
        Object[] arrayCopy = (Object[]) roundTrip(selfContaining);
        assertSame(arrayCopy, arrayCopy[0]);

        Node owner = new Node("owner");
        owner.payload = List.of(new Holder(), Optional.of(owner)); // a list and an Optional on the cycle, but not reached again
        Node ownerCopy = (Node) roundTrip(owner);
        assertSame(ownerCopy, ((Optional<?>) ((List<?>) ownerCopy.payload).get(1)).orElseThrow());
    }

    @Test
    void cyclesThroughCollectionsRecordsAndLambdasAreRefused() {
        List<Object> selfList = new ArrayList<>();
        selfList.add("first");
        selfList.add(selfList);
        NotSendableException list = assertThrows(NotSendableException.class, () -> codec.encode(selfList, "xs"));
        assertEquals("xs[1]", list.path());
        assertTrue(list.reason().contains("leads back to xs") && list.reason().contains("a collection"), list.reason());

        Holder holder = new Holder();
        record Wrapper(Holder holder) {
        }
        Wrapper wrapper = new Wrapper(holder);
        holder.held = wrapper;
        NotSendableException record = assertThrows(NotSendableException.class, () -> codec.encode(wrapper, "w"));
        assertEquals("w.holder.held", record.path());
        assertTrue(record.reason().contains("a record"), record.reason());
    }

    // --- lambdas ----------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    @Test
    void serializableLambdasAndMethodReferencesAreRecreatedWithTheirCaptures() throws Exception {
        int factor = 3;
        Point offset = new Point(10, 20);
        Function<Integer, Integer> times = (Function<Integer, Integer> & Serializable) x -> x * factor + offset.x();
        @SuppressWarnings("unchecked")
        Function<Integer, Integer> timesCopy = (Function<Integer, Integer>) roundTrip(times);
        assertEquals(25, timesCopy.apply(5));

        SerialFunction<String, Integer> length = String::length;
        assertEquals(5, ((SerialFunction<String, Integer>) roundTrip(length)).apply("hello"));

        String greeting = "hi ";
        Supplier<String> bound = (Supplier<String> & Serializable) greeting::trim;
        assertEquals("hi", ((Supplier<?>) roundTrip(bound)).get());

        BiFunction<Integer, Integer, Integer> add = (BiFunction<Integer, Integer, Integer> & Serializable) Integer::sum;
        assertEquals(7, ((BiFunction<Integer, Integer, Integer>) roundTrip(add)).apply(3, 4));
    }

    @Test
    void lambdasInsideValuesKeepTheirIdentityAndState() throws Exception {
        List<Point> seen = new ArrayList<>(List.of(new Point(1, 1)));
        SerialFunction<Integer, Integer> step = x -> x + seen.size();
        Task task = new Task("inc", step);
        List<?> copy = (List<?>) roundTrip(List.of(task, step));
        Task taskCopy = (Task) copy.get(0);
        assertEquals("inc", taskCopy.name());
        assertEquals(11, taskCopy.step().apply(10));
        assertSame(taskCopy.step(), copy.get(1));
    }

    @SuppressWarnings("unchecked")
    @Test
    void aLambdaThatCapturesNothingEncodesAlikeEachTimeAndOnlyItsOwnCopyChanges() throws Exception {
        SerialFunction<Integer, Integer> square = x -> x * x;
        byte[] first = codec.encode(square, "fn");
        Arrays.fill(first, (byte) 0); // the caller's copy: what it does to it changes no later encoding
        byte[] second = codec.encode(square, "fn");
        assertArrayEquals(second, codec.encode(square, "fn"));
        assertEquals(49, ((SerialFunction<Integer, Integer>) codec.decode(second)).apply(7));
    }

    @SuppressWarnings("unchecked")
    @Test
    void aLambdaThatCapturesAValueIsEncodedWithTheValueItHoldsNow() throws Exception {
        List<SerialFunction<Integer, Integer>> lambdas = new ArrayList<>();
        for (int offset = 1; offset <= 2; offset++) {
            int captured = offset;
            lambdas.add(x -> x + captured); // one class, two captured values
        }
        assertEquals(11, ((SerialFunction<Integer, Integer>) roundTrip(lambdas.get(0))).apply(10));
        assertEquals(12, ((SerialFunction<Integer, Integer>) roundTrip(lambdas.get(1))).apply(10));
    }

    // --- batches, loaders and bad input -----------------------------------------------------

    @Test
    void batchesRoundTripInOrder() throws Exception {
        List<Object> values = new ArrayList<>(List.of(1, 2L, "three", 4.0, new Point(5, 5)));
        values.add(null);
        assertEquals(values, codec.decodeAll(codec.encodeAll(values, "chunk")));
        assertEquals(List.of(), codec.decodeAll(codec.encodeAll(List.of(), "chunk")));
    }

    @Test
    void decodingResolvesClassesInTheCodecsLoader() throws Exception {
        byte[] bytes = codec.encode(List.of(new Parcel("box", 3), new Parcel[0]), "parcels");
        ClassLoader isolated = new ChildFirstLoader(Parcel.class.getName(), ValueCodecTest.class.getClassLoader());
        List<?> copy = (List<?>) new ValueCodec(isolated).decode(bytes);
        Object parcel = copy.get(0);
        assertEquals(Parcel.class.getName(), parcel.getClass().getName());
        assertSame(isolated, parcel.getClass().getClassLoader());
        assertEquals("Parcel[label=box, weight=3]", parcel.toString());
        assertSame(parcel.getClass(), copy.get(1).getClass().getComponentType());

        ClassLoader withoutTestClasses = ClassLoader.getPlatformClassLoader();
        CodecException unknown = assertThrows(CodecException.class, () -> new ValueCodec(withoutTestClasses).decode(bytes));
        assertTrue(unknown.getMessage().contains(Parcel.class.getName()), unknown.getMessage());
    }

    @Test
    void aClassNotFoundIsLookedForAgainByTheNextDecoding() throws Exception {
        byte[] bytes = codec.encode(new Parcel("box", 3), "parcel");
        LateLoader late = new LateLoader(Parcel.class.getName(), ValueCodecTest.class.getClassLoader());
        ValueCodec decoder = new ValueCodec(late);
        assertThrows(CodecException.class, () -> decoder.decode(bytes));
        late.defined = true;
        assertEquals(new Parcel("box", 3), decoder.decode(bytes));
        assertEquals(new Parcel("box", 3), decoder.decode(bytes));
    }

    @Test
    void malformedBytesAreACodecException() throws Exception {
        byte[] bytes = codec.encode(List.of("a", new Point(1, 2)), "value");
        assertThrows(CodecException.class, () -> codec.decode(Arrays.copyOf(bytes, bytes.length - 3)));
        assertThrows(CodecException.class, () -> codec.decode(new byte[] {1, 2, 3, 4, 5}));
        assertThrows(CodecException.class, () -> codec.decode(new byte[0]));
        assertThrows(CodecException.class, () -> codec.decodeAll(bytes));
        assertThrows(CodecException.class, () -> codec.decode(codec.encodeAll(List.of(1), "batch")));
    }

    /** Knows one class (from its parent) only once {@code defined} is set, as a class a later snippet defines. */
    private static final class LateLoader extends ClassLoader {
        private final String lateName;
        volatile boolean defined;

        LateLoader(String lateName, ClassLoader parent) {
            super(parent);
            this.lateName = lateName;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.equals(lateName) && !defined) {
                throw new ClassNotFoundException(name);
            }
            return super.loadClass(name, resolve);
        }
    }

    /** Loads one class itself from its class file bytes and everything else from its parent. */
    private static final class ChildFirstLoader extends ClassLoader {
        private final String isolatedName;

        ChildFirstLoader(String isolatedName, ClassLoader parent) {
            super(parent);
            this.isolatedName = isolatedName;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.equals(isolatedName)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded != null) {
                    return loaded;
                }
                try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                    byte[] bytes = in.readAllBytes();
                    return defineClass(name, bytes, 0, bytes.length);
                } catch (IOException e) {
                    throw new ClassNotFoundException(name, e);
                }
            }
        }
    }
}
