package org.jparallel.api;

/**
 * A {@code byte} in shared memory (Python's {@code Value('b', …)}, a signed char), made by
 * {@link Shared#byteValue} or {@link Shared#value Shared.value('b', …)}. Arithmetic wraps around as
 * Java's {@code byte} does. See {@link SharedValue} for the lock and the atomic updates, and
 * {@link SharedObject} for sending and closing.
 */
public interface SharedByte extends SharedValue {

    /** The value (under the lock unless raw). */
    byte get();

    /** Sets the value (under the lock unless raw). */
    void set(byte value);

    /** Atomically sets the value and returns the old one. */
    byte getAndSet(byte value);

    /** Atomically sets the value to {@code value} if it is {@code expected}; returns whether it did. */
    boolean compareAndSet(byte expected, byte value);

    /** Atomically adds {@code delta} (wrapping around) and returns the old value. */
    byte getAndAdd(byte delta);

    /** Atomically adds {@code delta} (wrapping around) and returns the new value. */
    byte addAndGet(byte delta);
}
