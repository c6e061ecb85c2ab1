package org.jparallel.api;

/**
 * A fixed-length array in shared memory (Python's {@code multiprocessing.Array}):
 * {@link SharedIntArray}, {@link SharedLongArray}, {@link SharedDoubleArray} or {@link SharedByteArray}.
 *
 * <p>As with {@link SharedValue}: element {@code get}/{@code set} and the bulk copies take the array's
 * lock, as Python's synchronized array does, so a bulk copy never sees a half-done update made under
 * the lock; hold the lock ({@code try (var held = a.getLock().hold()) {…}}) around several steps that
 * must appear as one. Atomic element updates ({@code getAndAdd}, {@code compareAndSet} …) are lock-free.
 * Raw arrays ({@link Shared#rawArray}, Python's {@code RawArray}) have no lock: element accesses are
 * volatile, bulk copies are plain memory copies, and concurrent writers must coordinate themselves
 * (for example, each writes its own range).
 *
 * <p>Indexes are checked: an index outside {@code [0, length())} throws {@link IndexOutOfBoundsException}.
 */
public interface SharedArray extends SharedObject {

    /** The number of elements. */
    int length();

    /** The Python typecode of the elements: {@code 'i'}, {@code 'l'}, {@code 'd'} or {@code 'b'}. */
    char typecode();

    /** Whether the array has a lock (false for raw arrays). */
    boolean hasLock();

    /**
     * The array's reentrant lock, shared by every process (Python's {@code get_lock()}).
     *
     * @throws IllegalStateException for a raw array, which has none
     */
    SharedLock getLock();
}
