package org.jparallel.api;

/**
 * A {@code double[]} in shared memory (Python's {@code Array('d', …)}), made by {@link Shared#doubleArray}
 * or {@link Shared#array Shared.array('d', n)}. See {@link SharedArray} for the lock and
 * {@link SharedObject} for sending and closing.
 *
 * <pre>{@code
 * SharedDoubleArray roots = Shared.doubleArray(100);
 * pool.map(i -> { roots.set(i, Math.sqrt(i)); return i; }, range);   // workers write in place
 * double[] local = roots.toArray();                               // one bulk copy
 * }</pre>
 */
public interface SharedDoubleArray extends SharedArray {

    /** Element {@code index}. */
    double get(int index);

    /** Sets element {@code index}. */
    void set(int index, double value);

    /** A copy of every element. */
    double[] toArray();

    /** Copies {@code length} elements from index {@code from} into {@code target} at {@code targetIndex}. */
    void copyTo(int from, double[] target, int targetIndex, int length);

    /** Copies the first {@code target.length} elements into {@code target}. */
    void copyTo(double[] target);

    /** Copies {@code length} elements of {@code source} from {@code sourceIndex} into this array at {@code to}. */
    void copyFrom(double[] source, int sourceIndex, int to, int length);

    /** Copies all of {@code source} into the first {@code source.length} elements. */
    void copyFrom(double[] source);

    /** Atomically sets element {@code index} and returns its old value. */
    double getAndSet(int index, double value);

    /** Atomically sets element {@code index} to {@code value} if its bits are those of {@code expected}; returns whether it did. */
    boolean compareAndSet(int index, double expected, double value);

    /** Atomically adds {@code delta} to element {@code index} and returns its old value. */
    double getAndAdd(int index, double delta);

    /** Atomically adds {@code delta} to element {@code index} and returns its new value. */
    double addAndGet(int index, double delta);
}
