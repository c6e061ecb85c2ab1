package org.jparallel.api;

/**
 * A {@code long[]} in shared memory (Python's {@code Array('l', …)}), made by {@link Shared#longArray}
 * or {@link Shared#array Shared.array('l', n)}. See {@link SharedArray} for the lock and
 * {@link SharedObject} for sending and closing.
 *
 * <pre>{@code
 * SharedLongArray squares = Shared.longArray(100);
 * pool.map(i -> { squares.set(i, (long) i * i); return i; }, range);   // workers write in place
 * long[] local = squares.toArray();                             // one bulk copy
 * }</pre>
 */
public interface SharedLongArray extends SharedArray {

    /** Element {@code index}. */
    long get(int index);

    /** Sets element {@code index}. */
    void set(int index, long value);

    /** A copy of every element. */
    long[] toArray();

    /** Copies {@code length} elements from index {@code from} into {@code target} at {@code targetIndex}. */
    void copyTo(int from, long[] target, int targetIndex, int length);

    /** Copies the first {@code target.length} elements into {@code target}. */
    void copyTo(long[] target);

    /** Copies {@code length} elements of {@code source} from {@code sourceIndex} into this array at {@code to}. */
    void copyFrom(long[] source, int sourceIndex, int to, int length);

    /** Copies all of {@code source} into the first {@code source.length} elements. */
    void copyFrom(long[] source);

    /** Atomically sets element {@code index} and returns its old value. */
    long getAndSet(int index, long value);

    /** Atomically sets element {@code index} to {@code value} if it is {@code expected}; returns whether it did. */
    boolean compareAndSet(int index, long expected, long value);

    /** Atomically adds {@code delta} to element {@code index} and returns its old value. */
    long getAndAdd(int index, long delta);

    /** Atomically adds {@code delta} to element {@code index} and returns its new value. */
    long addAndGet(int index, long delta);
}
