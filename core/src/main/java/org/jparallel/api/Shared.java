package org.jparallel.api;

import org.jparallel.internal.shm.SharedMemory;

import java.time.Duration;
import java.util.Objects;

/**
 * Shared memory between the notebook and its workers (Python's {@code Value}, {@code Array},
 * {@code RawValue}, {@code RawArray}, {@code Lock}, {@code RLock}, {@code Semaphore},
 * {@code BoundedSemaphore}, {@code Event}, {@code Condition}, {@code Barrier}, {@code Queue},
 * {@code JoinableQueue}, {@code SimpleQueue} and {@code Pipe}): every factory returns an object
 * that lives in real shared memory — a memory-mapped file under {@code /dev/shm} — so every process
 * reads and writes the same bytes, with no copying.
 *
 * <pre>{@code
 * SharedLong total = Shared.longValue(0);
 * SharedDoubleArray samples = Shared.doubleArray(1_000);
 * pool.map(i -> {
 *     samples.set(i, Math.random());
 *     return total.incrementAndGet();
 * }, range);
 * }</pre>
 *
 * <p>Values and arrays come with a lock, as in Python, unless made raw; they also offer lock-free atomic
 * updates ({@link SharedValue}, {@link SharedArray}). Shared objects are sent to workers by reference and
 * released when closed or when the kernel stops ({@link SharedObject}). Python's typecodes are
 * accepted: {@code 'i'} (int), {@code 'l'} and {@code 'q'} (long), {@code 'd'} (double), {@code 'b'}
 * (byte); the typecode factories return the matching type, to be assigned to a typed variable
 * ({@code SharedInt n = Shared.value('i', 0);}).
 */
public final class Shared {

    private Shared() {
    }

    // ---- values ----

    /** An {@code int} with a lock, initially {@code initial} (Python's {@code Value('i', initial)}). */
    public static SharedInt intValue(int initial) {
        return SharedMemory.newInt(initial, true);
    }

    /** A {@code long} with a lock (Python's {@code Value('l', initial)}). */
    public static SharedLong longValue(long initial) {
        return SharedMemory.newLong(initial, true);
    }

    /** A {@code double} with a lock (Python's {@code Value('d', initial)}). */
    public static SharedDouble doubleValue(double initial) {
        return SharedMemory.newDouble(initial, true);
    }

    /** A {@code byte} with a lock (Python's {@code Value('b', initial)}). */
    public static SharedByte byteValue(byte initial) {
        return SharedMemory.newByte(initial, true);
    }

    /**
     * A value with a lock, by Python typecode: {@code SharedDouble x = Shared.value('d', 0.5);}.
     *
     * @throws IllegalArgumentException for another typecode, or an initial value the type cannot hold exactly
     * @throws ClassCastException       if assigned to the wrong type
     */
    public static <V extends SharedValue> V value(char typecode, Number initial) {
        return SharedMemory.newValue(typecode, initial, true);
    }

    /** A value without a lock (Python's {@code RawValue}): get and set are plain volatile accesses. */
    public static <V extends SharedValue> V rawValue(char typecode, Number initial) {
        return SharedMemory.newValue(typecode, initial, false);
    }

    // ---- arrays ----

    /** An {@code int[]} of {@code length} zeros, with a lock (Python's {@code Array('i', length)}). */
    public static SharedIntArray intArray(int length) {
        return SharedMemory.newIntArray(length, true);
    }

    /** An {@code int[]} holding a copy of {@code values}, with a lock. */
    public static SharedIntArray intArray(int[] values) {
        SharedIntArray array = intArray(values.length);
        array.copyFrom(values);
        return array;
    }

    /** A {@code long[]} of {@code length} zeros, with a lock. */
    public static SharedLongArray longArray(int length) {
        return SharedMemory.newLongArray(length, true);
    }

    /** A {@code long[]} holding a copy of {@code values}, with a lock. */
    public static SharedLongArray longArray(long[] values) {
        SharedLongArray array = longArray(values.length);
        array.copyFrom(values);
        return array;
    }

    /** A {@code double[]} of {@code length} zeros, with a lock. */
    public static SharedDoubleArray doubleArray(int length) {
        return SharedMemory.newDoubleArray(length, true);
    }

    /** A {@code double[]} holding a copy of {@code values}, with a lock. */
    public static SharedDoubleArray doubleArray(double[] values) {
        SharedDoubleArray array = doubleArray(values.length);
        array.copyFrom(values);
        return array;
    }

    /** A {@code byte[]} of {@code length} zeros, with a lock. */
    public static SharedByteArray byteArray(int length) {
        return SharedMemory.newByteArray(length, true);
    }

    /** A {@code byte[]} holding a copy of {@code values}, with a lock. */
    public static SharedByteArray byteArray(byte[] values) {
        SharedByteArray array = byteArray(values.length);
        array.copyFrom(values);
        return array;
    }

    /**
     * An array of {@code length} zeros with a lock, by Python typecode: {@code SharedIntArray a = Shared.array('i', 10);}.
     *
     * @throws IllegalArgumentException for another typecode or a negative length
     * @throws ClassCastException       if assigned to the wrong type
     */
    public static <A extends SharedArray> A array(char typecode, int length) {
        return SharedMemory.newArray(typecode, length, true);
    }

    /** An array without a lock (Python's {@code RawArray}): volatile element access, plain bulk copies. */
    public static <A extends SharedArray> A rawArray(char typecode, int length) {
        return SharedMemory.newArray(typecode, length, false);
    }

    // ---- locks ----

    /** A lock that is not reentrant and that any thread or process may release (Python's {@code Lock()}). */
    public static SharedLock lock() {
        return SharedMemory.newLock(false);
    }

    /** A reentrant lock, released by the thread that holds it (Python's {@code RLock()}). */
    public static SharedLock rlock() {
        return SharedMemory.newLock(true);
    }

    // ---- synchronization ----

    /**
     * A semaphore with {@code permits} permits (Python's {@code Semaphore(permits)}).
     *
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    public static SharedSemaphore semaphore(int permits) {
        return SharedMemory.newSemaphore(permits, false);
    }

    /**
     * A semaphore that refuses to be released above {@code permits} (Python's {@code BoundedSemaphore}).
     *
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    public static SharedSemaphore boundedSemaphore(int permits) {
        return SharedMemory.newSemaphore(permits, true);
    }

    /** An event, initially clear (Python's {@code Event()}). */
    public static SharedEvent event() {
        return SharedMemory.newEvent();
    }

    /** A condition with a reentrant lock of its own (Python's {@code Condition()}). */
    public static SharedCondition condition() {
        return SharedMemory.newCondition(null);
    }

    /**
     * A condition waiting with {@code lock} (Python's {@code Condition(lock)}), for instance a value's
     * {@link SharedValue#getLock()}; the lock must stay open as long as the condition is used.
     */
    public static SharedCondition condition(SharedLock lock) {
        return SharedMemory.newCondition(Objects.requireNonNull(lock, "lock"));
    }

    /**
     * A barrier for {@code parties} parties, waiting without a default timeout (Python's {@code Barrier(parties)}).
     *
     * @throws IllegalArgumentException unless {@code parties} is between 1 and 65,535
     */
    public static SharedBarrier barrier(int parties) {
        return SharedMemory.newBarrier(parties, null);
    }

    /**
     * A barrier for {@code parties} parties whose {@link SharedBarrier#await()} waits at most {@code timeout}
     * (Python's {@code Barrier(parties, timeout=…)}).
     *
     * @throws IllegalArgumentException unless {@code parties} is between 1 and 65,535 and {@code timeout} is positive
     */
    public static SharedBarrier barrier(int parties, Duration timeout) {
        return SharedMemory.newBarrier(parties, Objects.requireNonNull(timeout, "timeout"));
    }

    // ---- messaging ----

    /**
     * A queue with no maximum number of items (Python's {@code Queue()}), its items in a ring of 64 MiB of
     * shared memory (pages are used as items pass through): {@code SharedQueue<String> q = Shared.queue();}.
     */
    public static <E> SharedQueue<E> queue() {
        return queue(0);
    }

    /** A queue of at most {@code maxsize} items, none if {@code maxsize <= 0} (Python's {@code Queue(maxsize)}). */
    public static <E> SharedQueue<E> queue(int maxsize) {
        return queue(maxsize, SharedMemory.DEFAULT_QUEUE_CAPACITY);
    }

    /**
     * A queue of at most {@code maxsize} items (none if {@code maxsize <= 0}) in a ring of {@code capacityBytes}
     * (rounded up to a multiple of 64): the largest item takes a little less, encoded.
     *
     * @throws IllegalArgumentException if the capacity is below 64 bytes or above 2 GiB
     */
    public static <E> SharedQueue<E> queue(int maxsize, int capacityBytes) {
        return SharedMemory.newQueue(maxsize, capacityBytes);
    }

    /** A joinable queue with no maximum number of items (Python's {@code JoinableQueue()}). */
    public static <E> SharedJoinableQueue<E> joinableQueue() {
        return joinableQueue(0);
    }

    /** A joinable queue of at most {@code maxsize} items (Python's {@code JoinableQueue(maxsize)}). */
    public static <E> SharedJoinableQueue<E> joinableQueue(int maxsize) {
        return joinableQueue(maxsize, SharedMemory.DEFAULT_QUEUE_CAPACITY);
    }

    /** A joinable queue of at most {@code maxsize} items in a ring of {@code capacityBytes} ({@link #queue(int, int)}). */
    public static <E> SharedJoinableQueue<E> joinableQueue(int maxsize, int capacityBytes) {
        return SharedMemory.newJoinableQueue(maxsize, capacityBytes);
    }

    /** A simple queue (Python's {@code SimpleQueue()}), in a ring of 64 MiB. */
    public static <E> SharedSimpleQueue<E> simpleQueue() {
        return simpleQueue(SharedMemory.DEFAULT_QUEUE_CAPACITY);
    }

    /** A simple queue in a ring of {@code capacityBytes} ({@link #queue(int, int)}). */
    public static <E> SharedSimpleQueue<E> simpleQueue(int capacityBytes) {
        return SharedMemory.newSimpleQueue(capacityBytes);
    }

    /**
     * A duplex pipe (Python's {@code Pipe()}): {@code var pipe = Shared.pipe(); var a = pipe.first(), b = pipe.second();}
     * with a ring of 16 MiB per direction.
     */
    public static <E> SharedPipe<E> pipe() {
        return pipe(true);
    }

    /**
     * A pipe, duplex or one-way (Python's {@code Pipe(duplex)}): one-way, {@link SharedPipe#first()} only
     * receives and {@link SharedPipe#second()} only sends, as Python's {@code r, w = Pipe(duplex=False)}.
     */
    public static <E> SharedPipe<E> pipe(boolean duplex) {
        return pipe(duplex, SharedMemory.DEFAULT_PIPE_CAPACITY);
    }

    /**
     * A pipe with a ring of {@code capacityBytes} per direction (rounded up to a multiple of 64): the largest
     * message takes a little less, encoded.
     *
     * @throws IllegalArgumentException if the capacity is below 64 bytes or the pipe above 2 GiB
     */
    public static <E> SharedPipe<E> pipe(boolean duplex, int capacityBytes) {
        return SharedMemory.newPipe(duplex, capacityBytes);
    }
}
