package org.jparallel.api;

/**
 * A first-in first-out queue between processes with no maximum number of items (Python's
 * {@code multiprocessing.SimpleQueue}), made by {@link Shared#simpleQueue()}: any thread of any process
 * that has it may put and get. It is also what every {@link SharedQueue} can do.
 *
 * <p><b>Items.</b> An item is encoded when it is put, like any value sent to a worker (records, collections,
 * serializable lambdas, shared objects by reference…), and decoded by the process that gets it, with that
 * process's classes — classes declared in the notebook are known on the workers. An item that cannot be sent
 * fails at {@link #put} with a {@link NotSendableException} naming the item and the path inside it; nothing is
 * put and the queue stays usable. Items cannot be null.
 *
 * <p><b>Memory.</b> The queue is a ring of bytes in shared memory (64 MiB unless made with a capacity, in
 * {@code /dev/shm}, where unused pages take no memory); an item whose encoded form does not fit fails with
 * {@link ItemTooLargeException}. The queue travels to workers by reference, like every {@link SharedObject},
 * and is released with {@link #close()} in the process that created it; a process still using it afterwards
 * gets an {@link IllegalStateException}.
 *
 * <p><b>Failures.</b> A process killed in the middle of a put never leaves a half-written item: an item becomes
 * visible only once it is complete, and the next producer takes over from the dead one. A blocked put or get
 * gives up with a {@link java.util.concurrent.CancellationException} when its thread is interrupted (a cell
 * stop, a cancelled task). Thread-safe.
 *
 * @param <E> the type of the items
 */
public interface SharedSimpleQueue<E> extends SharedObject {

    /**
     * Adds an item at the tail, waiting while the queue is full.
     *
     * @throws NotSendableException  if the item cannot be sent (nothing is put)
     * @throws ItemTooLargeException if its encoded form is larger than the queue's ring
     * @throws NullPointerException  if the item is null
     */
    void put(E item);

    /**
     * Removes the item at the head, waiting until there is one.
     *
     * @throws java.util.concurrent.CancellationException if the thread is interrupted while it waits
     */
    E get();

    /** Whether the queue holds no item now (approximate while other processes put and get, as in Python). */
    boolean isEmpty();
}
