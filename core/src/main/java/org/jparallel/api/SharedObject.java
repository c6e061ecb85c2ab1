package org.jparallel.api;

/**
 * Something that lives in shared memory and is the same object in every process: a value, an array
 * or a lock made by {@link Shared}.
 *
 * <p><b>Sending.</b> A shared object travels to workers (as a task argument, a captured variable, a
 * notebook variable read by a {@code %%parallel} cell, inside a record or collection…) as a small
 * descriptor naming its memory, never as a copy: the worker maps the same memory, and a write on either
 * side is seen by the other. Sending a closed object fails with {@link SharedObjectClosedException}.
 *
 * <p><b>Lifecycle.</b> The process that created the object owns its memory. {@link #close()} in that
 * process releases it: its segment (a file in {@code /dev/shm}) is deleted, and using the object
 * afterwards throws {@link IllegalStateException}. Whatever the notebook has not closed is released when
 * the kernel shuts down or the JVM exits, and if a process crashes, the next jparallel process on the
 * machine to start or to create shared memory deletes what the crashed one left. Closing a copy a worker
 * received only forgets that copy; it never deletes the memory.
 *
 * <p>Thread-safe: every method may be called from any thread of any process.
 */
public interface SharedObject extends AutoCloseable {

    /** Releases the shared memory (in the creating process) or forgets this process's copy. Idempotent. */
    @Override
    void close();

    /** Whether {@link #close()} was called on this object here, or its memory was released with the kernel. */
    boolean isClosed();
}
