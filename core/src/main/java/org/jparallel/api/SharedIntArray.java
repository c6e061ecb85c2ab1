package org.jparallel.api;

/**
 * An {@code int[]} in shared memory (Python's {@code Array('i', …)}), made by {@link Shared#intArray}
 * or {@link Shared#array Shared.array('i', n)}. See {@link SharedArray} for the lock and
 * {@link SharedObject} for sending and closing.
 *
 * <pre>{@code
 * SharedIntArray squares = Shared.intArray(100);
 * pool.map(i -> { squares.set(i, i * i); return i; }, range);   // workers write in place
 * int[] local = squares.toArray();                             // one bulk copy
 * }</pre>
 */
public interface SharedIntArray extends SharedArray {

    /** Element {@code index}. */
    int get(int index);

    /** Sets element {@code index}. */
    void set(int index, int value);

    /** A copy of every element. */
    int[] toArray();

    /** Copies {@code length} elements from index {@code from} into {@code target} at {@code targetIndex}. */
    void copyTo(int from, int[] target, int targetIndex, int length);

    /** Copies the first {@code target.length} elements into {@code target}. */
    void copyTo(int[] target);

    /** Copies {@code length} elements of {@code source} from {@code sourceIndex} into this array at {@code to}. */
    void copyFrom(int[] source, int sourceIndex, int to, int length);

    /** Copies all of {@code source} into the first {@code source.length} elements. */
    void copyFrom(int[] source);

    /** Atomically sets element {@code index} and returns its old value. */
    int getAndSet(int index, int value);

    /** Atomically sets element {@code index} to {@code value} if it is {@code expected}; returns whether it did. */
    boolean compareAndSet(int index, int expected, int value);

    /** Atomically adds {@code delta} to element {@code index} and returns its old value. */
    int getAndAdd(int index, int delta);

    /** Atomically adds {@code delta} to element {@code index} and returns its new value. */
    int addAndGet(int index, int delta);
}
