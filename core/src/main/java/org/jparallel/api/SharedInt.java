package org.jparallel.api;

/**
 * An {@code int} in shared memory (Python's {@code Value('i', …)}), made by {@link Shared#intValue} or
 * {@link Shared#value Shared.value('i', …)}. See {@link SharedValue} for the lock and the atomic
 * updates, and {@link SharedObject} for sending and closing.
 *
 * <pre>{@code
 * SharedInt hits = Shared.intValue(0);
 * pool.map(x -> hits.incrementAndGet(), List.of(1, 2, 3));   // atomic: no lock needed
 * try (var held = hits.getLock().hold()) {                    // a read-modify-write under the lock
 *     hits.set(hits.get() * 2);
 * }
 * }</pre>
 */
public interface SharedInt extends SharedValue {

    /** The value (under the lock unless raw). */
    int get();

    /** Sets the value (under the lock unless raw). */
    void set(int value);

    /** Atomically sets the value and returns the old one. */
    int getAndSet(int value);

    /** Atomically sets the value to {@code value} if it is {@code expected}; returns whether it did. */
    boolean compareAndSet(int expected, int value);

    /** Atomically adds {@code delta} and returns the old value. */
    int getAndAdd(int delta);

    /** Atomically adds {@code delta} and returns the new value. */
    int addAndGet(int delta);

    /** Atomically adds one and returns the new value. */
    int incrementAndGet();

    /** Atomically subtracts one and returns the new value. */
    int decrementAndGet();
}
