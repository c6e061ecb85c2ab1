package org.jparallel.api;

/**
 * A single number in shared memory (Python's {@code multiprocessing.Value}): {@link SharedInt},
 * {@link SharedLong}, {@link SharedDouble} or {@link SharedByte}.
 *
 * <p>Three ways to change it, from any process:
 * <ul>
 *   <li><b>{@code get()} and {@code set()}</b> take the value's lock, as Python's {@code .value} does. A
 *       read-modify-write such as {@code v.set(v.get() + 1)} is still two steps that other processes can
 *       interleave: hold the lock around both ({@code try (var held = v.getLock().hold()) {…}}); the
 *       lock is reentrant, so {@code get()} and {@code set()} inside the hold are fine.</li>
 *   <li><b>Atomic updates</b> ({@code incrementAndGet}, {@code getAndAdd}, {@code compareAndSet} …) are
 *       single lock-free instructions: correct without the lock and much faster.</li>
 *   <li><b>Raw values</b> ({@link Shared#rawValue}, Python's {@code RawValue}) have no lock:
 *       {@code get()} and {@code set()} are plain volatile accesses.</li>
 * </ul>
 * Atomic updates do not take the lock, so a read-modify-write under the lock can still race with them:
 * use one style per value.
 */
public interface SharedValue extends SharedObject {

    /** The Python typecode: {@code 'i'}, {@code 'l'}, {@code 'd'} or {@code 'b'}. */
    char typecode();

    /** Whether the value has a lock (false for raw values). */
    boolean hasLock();

    /**
     * The value's reentrant lock, shared by every process (Python's {@code get_lock()}).
     *
     * @throws IllegalStateException for a raw value, which has none
     */
    SharedLock getLock();
}
