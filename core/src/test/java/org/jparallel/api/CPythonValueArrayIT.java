package org.jparallel.api;

import org.jparallel.testing.PoolPerClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Arrays;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * CPython's {@code _TestValue}, {@code _TestArray}, {@code _TestSharedCTypes} and the value and array cases of
 * {@code TestSyncManagerTypes}, ported to {@link SharedValue} and {@link SharedArray}: values and arrays made
 * here, changed by a worker of one shared pool, seen here. See docs/cpython-checklist.md.
 */
class CPythonValueArrayIT {

    private static final Duration LIMIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final PoolPerClass POOL = new PoolPerClass(2);

    /** CPython's {@code codes_values}, for the typecodes jparallel has: 'i', 'd', 'q' and 'b' (for 'c'). */
    private static void valuesChangedByAWorkerAreSeenHere(boolean raw) throws Exception {
        SharedInt i = raw ? Shared.rawValue('i', 4343) : Shared.value('i', 4343);
        SharedDouble d = raw ? Shared.rawValue('d', 3.625) : Shared.value('d', 3.625);
        SharedLong q = raw ? Shared.rawValue('q', 1L << 33) : Shared.value('q', 1L << 33);
        SharedByte b = raw ? Shared.rawValue('b', (byte) 'x') : Shared.value('b', (byte) 'x');
        try (i; d; q; b) {
            assertEquals(4343, i.get());
            assertEquals(3.625, d.get());
            assertEquals(1L << 33, q.get());
            assertEquals('x', b.get());
            POOL.get().applyAsync(() -> {
                i.set(24234);
                d.set(-4.25);
                q.set(1L << 34);
                b.set((byte) 'y');
                return 0;
            }).get(LIMIT);
            assertEquals(24234, i.get());
            assertEquals(-4.25, d.get());
            assertEquals(1L << 34, q.get());
            assertEquals('y', b.get());
            assertEquals(!raw, i.hasLock());
        }
    }

    @Test // _TestValue.test_value
    void lockedValuesChangedByAWorkerAreSeenHere() throws Exception {
        valuesChangedByAWorkerAreSeenHere(false);
    }

    @Test // _TestValue.test_rawvalue
    void rawValuesChangedByAWorkerAreSeenHere() throws Exception {
        valuesChangedByAWorkerAreSeenHere(true);
    }

    @Test // _TestValue.test_invalid_typecode and _TestArray.test_invalid_typecode
    void anUnknownTypecodeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Shared.value('x', 0));
        assertThrows(IllegalArgumentException.class, () -> Shared.rawValue('x', 0));
        assertThrows(IllegalArgumentException.class, () -> Shared.array('x', 0));
        assertThrows(IllegalArgumentException.class, () -> Shared.rawArray('x', 0));
    }

    /** CPython's {@code f}: running sums, in place. */
    static void runningSums(SharedIntArray seq) {
        for (int i = 1; i < seq.length(); i++) {
            seq.set(i, seq.get(i) + seq.get(i - 1));
        }
    }

    private static void anArrayIsSummedInPlaceByAWorker(SharedIntArray arr) throws Exception {
        int[] seq = {680, 626, 934, 821, 150, 233, 548, 982, 714, 831};
        try (arr) {
            arr.copyFrom(seq);
            assertEquals(seq.length, arr.length());
            assertEquals(seq[3], arr.get(3));
            int[] slice = new int[5];
            arr.copyTo(2, slice, 0, 5);
            assertArrayEquals(Arrays.copyOfRange(seq, 2, 7), slice);

            arr.copyFrom(new int[]{1, 2, 3, 4}, 0, 4, 4);
            System.arraycopy(new int[]{1, 2, 3, 4}, 0, seq, 4, 4);
            assertArrayEquals(seq, arr.toArray());

            for (int i = 1; i < seq.length; i++) {
                seq[i] += seq[i - 1];
            }
            POOL.get().applyAsync(() -> {
                runningSums(arr);
                return 0;
            }).get(LIMIT);
            assertArrayEquals(seq, arr.toArray());
        }
    }

    @Test // _TestArray.test_array
    void aLockedArrayIsSummedInPlaceByAWorker() throws Exception {
        anArrayIsSummedInPlaceByAWorker(Shared.intArray(10));
    }

    @Test // _TestArray.test_rawarray
    void aRawArrayIsSummedInPlaceByAWorker() throws Exception {
        anArrayIsSummedInPlaceByAWorker(Shared.rawArray('i', 10));
    }

    @Test // _TestArray.test_array_from_size (#11675): a new array is zeroed, however often memory is reused
    void aNewArrayIsAllZerosEveryTime() {
        for (int round = 0; round < 3; round++) {
            try (SharedIntArray arr = Shared.array('i', 10)) {
                assertEquals(10, arr.length());
                assertArrayEquals(new int[10], arr.toArray());
                arr.copyFrom(IntStream.range(0, 10).toArray());
                assertArrayEquals(IntStream.range(0, 10).toArray(), arr.toArray());
            }
        }
    }

    @Test // _TestSharedCTypes.test_sharedctypes and test_synchronize: a worker doubles values and an array
    void aWorkerDoublesValuesAndEveryElementUnderTheirLocks() throws Exception {
        try (SharedInt x = Shared.intValue(7); SharedDouble y = Shared.doubleValue(1.0 / 3.0);
             SharedLong z = Shared.longValue(1L << 33); SharedDoubleArray arr = Shared.doubleArray(10);
             SharedByteArray string = Shared.byteArray(20)) {
            for (int i = 0; i < 10; i++) {
                arr.set(i, i);
            }
            byte[] hello = "hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            string.copyFrom(hello);
            POOL.get().applyAsync(() -> {
                try (var held = x.getLock().hold()) {
                    x.set(x.get() * 2);
                }
                try (var held = y.getLock().hold()) {
                    y.set(y.get() * 2);
                }
                try (var held = z.getLock().hold()) {
                    z.set(z.get() * 2);
                }
                try (var held = arr.getLock().hold()) {
                    for (int i = 0; i < arr.length(); i++) {
                        arr.set(i, arr.get(i) * 2);
                    }
                }
                string.copyFrom(hello, 0, hello.length, hello.length); // "hello" * 2
                return 0;
            }).get(LIMIT);
            assertEquals(14, x.get());
            assertEquals(2.0 / 3.0, y.get(), 1e-15);
            assertEquals(1L << 34, z.get());
            for (int i = 0; i < 10; i++) {
                assertEquals(i * 2.0, arr.get(i));
            }
            byte[] text = new byte[10];
            string.copyTo(0, text, 0, 10);
            assertEquals("hellohello", new String(text, java.nio.charset.StandardCharsets.US_ASCII));
        }
    }

    @Test // _TestSharedCTypes.test_copy: a copy out of shared memory is the caller's own
    void aCopyOfAnArrayDoesNotFollowTheSharedMemory() {
        try (SharedLongArray arr = Shared.longArray(new long[]{2, 5, 1L << 33})) {
            long[] copy = arr.toArray();
            arr.copyFrom(new long[3]);
            assertArrayEquals(new long[]{2, 5, 1L << 33}, copy);
        }
    }

    @Test // TestSyncManagerTypes.test_value and test_array: a worker reads and writes them
    void aWorkerReadsAndWritesAValueAndAnArray() throws Exception {
        try (SharedInt value = Shared.intValue(1); SharedIntArray array = Shared.intArray(new int[]{0, 1})) {
            String seen = POOL.get().applyAsync(() -> {
                String s = value.get() + " " + array.get(0) + " " + array.get(1) + " " + array.length()
                        + " " + Arrays.toString(array.toArray());
                value.set(2);
                return s;
            }).get(LIMIT);
            assertEquals("1 0 1 2 [0, 1]", seen);
            assertEquals(2, value.get());
        }
    }
}
