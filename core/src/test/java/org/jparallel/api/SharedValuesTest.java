package org.jparallel.api;

import org.jparallel.internal.shm.SharedMemory;
import org.jparallel.testing.NoSegmentsLeft;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared types' contracts within one process (the pool tests cover other processes). */
@ExtendWith(NoSegmentsLeft.class)
class SharedValuesTest {

    private static final long PID = ProcessHandle.current().pid();
    private final List<SharedObject> made = new ArrayList<>();

    private <T extends SharedObject> T made(T shared) {
        made.add(shared);
        return shared;
    }

    @AfterEach
    void closeAll() {
        made.forEach(SharedObject::close);
    }

    @Test
    void typecodesGiveTheMatchingTypes() {
        SharedInt i = made(Shared.value('i', 7));
        SharedLong l = made(Shared.value('l', 1L << 40));
        SharedLong q = made(Shared.value('q', -1));
        SharedDouble d = made(Shared.value('d', 0.25));
        SharedByte b = made(Shared.value('b', -128));
        assertEquals(7, i.get());
        assertEquals(1L << 40, l.get());
        assertEquals(-1, q.get());
        assertEquals(0.25, d.get());
        assertEquals(-128, b.get());
        assertEquals(List.of('i', 'l', 'l', 'd', 'b'), List.of(i.typecode(), l.typecode(), q.typecode(), d.typecode(), b.typecode()));
        SharedIntArray ia = made(Shared.array('i', 3));
        SharedByteArray ba = made(Shared.rawArray('b', 3));
        assertEquals(3, ia.length());
        assertEquals('b', ba.typecode());
        assertFalse(ba.hasLock());
        assertInstanceOf(SharedDoubleArray.class, made(Shared.array('d', 1)));
        assertInstanceOf(SharedLongArray.class, made(Shared.array('q', 1)));
    }

    @Test
    void initialValuesMustFitTheTypeExactly() {
        assertEquals(3, made(Shared.<SharedInt>value('i', 3.0)).get());
        assertEquals(5, made(Shared.<SharedLong>value('l', new BigDecimal("5.000"))).get());
        assertEquals(Long.MAX_VALUE, made(Shared.<SharedLong>value('l', BigInteger.valueOf(Long.MAX_VALUE))).get());
        assertThrows(IllegalArgumentException.class, () -> Shared.value('i', 1.5));
        assertThrows(IllegalArgumentException.class, () -> Shared.value('i', 1L << 31));
        assertThrows(IllegalArgumentException.class, () -> Shared.value('b', 128));
        assertThrows(IllegalArgumentException.class, () -> Shared.value('l', BigInteger.ONE.shiftLeft(63)));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> Shared.value('f', 1));
        assertTrue(unknown.getMessage().contains("'i' (int)"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Shared.array('x', 1));
        assertThrows(IllegalArgumentException.class, () -> Shared.intArray(-1));
        assertThrows(NullPointerException.class, () -> Shared.value('i', null));
        assertEquals(3, SharedMemory.segmentsCreatedBy(PID).size(), "a refused value leaves no segment");
    }

    @Test
    void atomicUpdatesOfEveryValueType() {
        SharedInt i = made(Shared.intValue(10));
        assertEquals(10, i.getAndAdd(5));
        assertEquals(20, i.addAndGet(5));
        assertEquals(21, i.incrementAndGet());
        assertEquals(20, i.decrementAndGet());
        assertEquals(20, i.getAndSet(1));
        assertTrue(i.compareAndSet(1, 2));
        assertFalse(i.compareAndSet(1, 3));
        assertEquals(2, i.get());

        SharedLong l = made(Shared.longValue(Long.MAX_VALUE));
        assertEquals(Long.MIN_VALUE, l.incrementAndGet());

        SharedDouble d = made(Shared.doubleValue(1.5));
        assertEquals(1.5, d.getAndAdd(1));
        assertEquals(3.0, d.addAndGet(0.5));
        assertTrue(d.compareAndSet(3.0, Double.NaN));
        assertTrue(d.compareAndSet(Double.NaN, -0.0), "NaN matches NaN: bits are compared");
        assertFalse(d.compareAndSet(0.0, 1.0), "0.0 does not match -0.0");

        SharedByte b = made(Shared.byteValue((byte) 127));
        assertEquals((byte) -128, b.addAndGet((byte) 1), "wraps as Java's byte does");
        assertEquals((byte) -128, b.getAndSet((byte) 3));
        assertTrue(b.compareAndSet((byte) 3, (byte) -1));
        assertEquals((byte) -1, b.get());
    }

    @Test
    void arraysCopyInBulkAndCheckTheirIndexes() {
        SharedIntArray a = made(Shared.intArray(new int[] {1, 2, 3, 4}));
        assertArrayEquals(new int[] {1, 2, 3, 4}, a.toArray());
        int[] target = new int[6];
        a.copyTo(1, target, 2, 3);
        assertArrayEquals(new int[] {0, 0, 2, 3, 4, 0}, target);
        a.copyFrom(new int[] {9, 8}, 1, 3, 1);
        assertArrayEquals(new int[] {1, 2, 3, 8}, a.toArray());
        a.copyFrom(new int[] {5, 6});
        int[] two = new int[2];
        a.copyTo(two);
        assertArrayEquals(new int[] {5, 6}, two);
        assertEquals(6, a.getAndAdd(1, 10));
        assertEquals(26, a.addAndGet(1, 10));
        assertTrue(a.compareAndSet(3, 8, 0));
        assertEquals(0, a.getAndSet(3, 7));
        assertThrows(IndexOutOfBoundsException.class, () -> a.get(4));
        assertThrows(IndexOutOfBoundsException.class, () -> a.set(-1, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> a.copyTo(2, new int[10], 0, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> a.copyFrom(new int[5]));

        SharedLongArray l = made(Shared.longArray(new long[] {Long.MIN_VALUE, 0}));
        assertEquals(Long.MIN_VALUE, l.get(0));
        SharedDoubleArray d = made(Shared.doubleArray(new double[] {0.5, 1.5}));
        assertEquals(2.0, d.addAndGet(1, 0.5));
        assertArrayEquals(new double[] {0.5, 2.0}, d.toArray());
        assertEquals(0, made(Shared.byteArray(0)).toArray().length);
    }

    @Test
    void atomicByteUpdatesLeaveTheirNeighboursAlone() {
        SharedByteArray b = made(Shared.byteArray(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9}));
        for (int i = 0; i < 9; i++) {
            assertEquals((byte) (i + 1), b.getAndAdd(i, (byte) 100));
        }
        assertArrayEquals(new byte[] {101, 102, 103, 104, 105, 106, 107, 108, 109}, b.toArray());
        assertEquals((byte) -127, b.addAndGet(8, (byte) 20), "109 + 20 wraps");
        assertTrue(b.compareAndSet(4, (byte) 105, (byte) -5));
        assertFalse(b.compareAndSet(4, (byte) 105, (byte) 0));
        assertEquals((byte) -5, b.getAndSet(4, (byte) 0));
        assertArrayEquals(new byte[] {101, 102, 103, 104, 0, 106, 107, 108, -127}, b.toArray());
    }

    @Test
    void rawValuesHaveNoLockAndLockedOnesAReentrantOne() {
        SharedInt raw = made(Shared.rawValue('i', 1));
        assertFalse(raw.hasLock());
        IllegalStateException none = assertThrows(IllegalStateException.class, raw::getLock);
        assertTrue(none.getMessage().contains("raw SharedInt has no lock"), none.getMessage());
        raw.set(raw.get() + 1);
        assertEquals(2, raw.get());

        SharedInt locked = made(Shared.intValue(1));
        assertTrue(locked.hasLock());
        assertTrue(locked.getLock().isReentrant());
        try (var held = locked.getLock().hold()) {
            locked.set(locked.get() + 1); // get and set take the held lock again
            assertFalse(held.ownerDied());
        }
        assertFalse(locked.getLock().isLocked());
        assertEquals(2, locked.get());
    }

    @Test
    void aClosedObjectRefusesToBeUsedAndSaysSo() {
        SharedDoubleArray a = Shared.doubleArray(3);
        SharedLock lock = Shared.lock();
        a.close();
        a.close();
        lock.close();
        assertTrue(a.isClosed());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> a.get(0));
        assertEquals("this SharedDoubleArray is closed: its shared memory was released", e.getMessage());
        assertThrows(IllegalStateException.class, () -> a.getAndAdd(0, 1));
        assertThrows(IllegalStateException.class, a::toArray);
        assertThrows(IllegalStateException.class, lock::tryAcquire);
        assertEquals("SharedDoubleArray(closed)", a.toString());
    }

    @Test
    void toStringShowsTheValueWithoutTakingTheLock() {
        SharedInt i = made(Shared.intValue(42));
        try (var held = i.getLock().hold()) {
            assertEquals("SharedInt(42)", i.toString());
        }
        assertEquals("SharedLong(7, raw)", made(Shared.<SharedLong>rawValue('l', 7)).toString());
        assertEquals("SharedIntArray(length 3)", made(Shared.intArray(3)).toString());
        SharedLock lock = made(Shared.rlock());
        assertEquals("SharedLock(reentrant, free)", lock.toString());
    }
}
