package org.jparallel.api;

/**
 * A {@code byte[]} in shared memory (Python's {@code Array('b', …)}), made by {@link Shared#byteArray}
 * or {@link Shared#array Shared.array('b', n)}. See {@link SharedArray} for the lock and
 * {@link SharedObject} for sending and closing.
 *
 * <pre>{@code
 * SharedByteArray marks = Shared.byteArray(100);
 * pool.map(i -> { marks.set(i, (byte) i); return i; }, range);   // workers write in place
 * byte[] local = marks.toArray();                               // one bulk copy
 * }</pre>
 */
public interface SharedByteArray extends SharedArray {

    /** Element {@code index}. */
    byte get(int index);

    /** Sets element {@code index}. */
    void set(int index, byte value);

    /** A copy of every element. */
    byte[] toArray();

    /** Copies {@code length} elements from index {@code from} into {@code target} at {@code targetIndex}. */
    void copyTo(int from, byte[] target, int targetIndex, int length);

    /** Copies the first {@code target.length} elements into {@code target}. */
    void copyTo(byte[] target);

    /** Copies {@code length} elements of {@code source} from {@code sourceIndex} into this array at {@code to}. */
    void copyFrom(byte[] source, int sourceIndex, int to, int length);

    /** Copies all of {@code source} into the first {@code source.length} elements. */
    void copyFrom(byte[] source);

    /** Atomically sets element {@code index} and returns its old value. */
    byte getAndSet(int index, byte value);

    /** Atomically sets element {@code index} to {@code value} if it is {@code expected}; returns whether it did. */
    boolean compareAndSet(int index, byte expected, byte value);

    /** Atomically adds {@code delta} (wrapping around) to element {@code index} and returns its old value. */
    byte getAndAdd(int index, byte delta);

    /** Atomically adds {@code delta} (wrapping around) to element {@code index} and returns its new value. */
    byte addAndGet(int index, byte delta);
}
