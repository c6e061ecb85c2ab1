package org.jparallel.api;

/**
 * A {@code long} in shared memory (Python's {@code Value('l', …)}), made by {@link Shared#longValue} or
 * {@link Shared#value Shared.value('l', …)}. See {@link SharedValue} for the lock and the atomic
 * updates, and {@link SharedObject} for sending and closing.
 *
 * <pre>{@code
 * SharedLong hits = Shared.longValue(0);
 * pool.map(x -> hits.incrementAndGet(), List.of(1, 2, 3));   // atomic: no lock needed
 * try (var held = hits.getLock().hold()) {                    // a read-modify-write under the lock
 *     hits.set(hits.get() * 2);
 * }
 * }</pre>
 */
public interface SharedLong extends SharedValue {

    /** The value (under the lock unless raw). */
    long get();

    /** Sets the value (under the lock unless raw). */
    void set(long value);

    /** Atomically sets the value and returns the old one. */
    long getAndSet(long value);

    /** Atomically sets the value to {@code value} if it is {@code expected}; returns whether it did. */
    boolean compareAndSet(long expected, long value);

    /** Atomically adds {@code delta} and returns the old value. */
    long getAndAdd(long delta);

    /** Atomically adds {@code delta} and returns the new value. */
    long addAndGet(long delta);

    /** Atomically adds one and returns the new value. */
    long incrementAndGet();

    /** Atomically subtracts one and returns the new value. */
    long decrementAndGet();
}
