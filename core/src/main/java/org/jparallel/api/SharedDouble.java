package org.jparallel.api;

/**
 * A {@code double} in shared memory (Python's {@code Value('d', …)}), made by
 * {@link Shared#doubleValue} or {@link Shared#value Shared.value('d', …)}. See {@link SharedValue} for
 * the lock and the atomic updates, and {@link SharedObject} for sending and closing.
 *
 * <p>The atomic additions are compare-and-set loops; {@link #compareAndSet} compares bit patterns, as
 * {@link Double#equals} does (so {@code NaN} matches {@code NaN} and {@code 0.0} does not match {@code -0.0}).
 */
public interface SharedDouble extends SharedValue {

    /** The value (under the lock unless raw). */
    double get();

    /** Sets the value (under the lock unless raw). */
    void set(double value);

    /** Atomically sets the value and returns the old one. */
    double getAndSet(double value);

    /** Atomically sets the value to {@code value} if its bits are those of {@code expected}; returns whether it did. */
    boolean compareAndSet(double expected, double value);

    /** Atomically adds {@code delta} and returns the old value. */
    double getAndAdd(double delta);

    /** Atomically adds {@code delta} and returns the new value. */
    double addAndGet(double delta);
}
