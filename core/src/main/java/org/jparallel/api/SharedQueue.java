package org.jparallel.api;

import java.time.Duration;

/**
 * A first-in first-out queue between processes (Python's {@code multiprocessing.Queue}), made by
 * {@link Shared#queue()} or {@link Shared#queue(int)}: any number of processes put and get, and the queue is
 * sent to workers by reference.
 *
 * <pre>{@code
 * SharedQueue<String> results = Shared.queue();
 * pool.applyAsync(() -> { results.put("done by " + WorkerIdentity.current().pid()); return 0; });
 * String first = results.get(Duration.ofSeconds(10));
 * }</pre>
 *
 * <p><b>Names.</b> Python's {@code put}/{@code get} wait (with a timeout they fail with
 * {@link QueueFullException}/{@link QueueEmptyException}, as Python raises {@code Full}/{@code Empty}); Java's
 * {@code offer}/{@code poll}, as in {@link java.util.concurrent.BlockingQueue}, return {@code false}/{@code null}
 * instead. A queue with a {@linkplain #maxsize() maximum size} is full when it holds that many items, any queue
 * when the next item does not fit in what is left of its ring.
 *
 * <p>Items, memory, failures and threads: as for {@link SharedSimpleQueue}.
 *
 * @param <E> the type of the items
 */
public interface SharedQueue<E> extends SharedSimpleQueue<E> {

    /**
     * Adds an item, waiting at most {@code timeout} while the queue is full.
     *
     * @throws QueueFullException    if the queue is still full when the time is up (nothing is put)
     * @throws NotSendableException  if the item cannot be sent
     * @throws ItemTooLargeException if its encoded form is larger than the queue's ring
     */
    void put(E item, Duration timeout);

    /** Adds an item if there is room now (Python's {@code put_nowait}, without the exception); returns whether it did. */
    boolean offer(E item);

    /** Adds an item, waiting at most {@code timeout} for room; returns whether it did. */
    boolean offer(E item, Duration timeout);

    /**
     * Removes the head item, waiting at most {@code timeout} for one.
     *
     * @throws QueueEmptyException if the queue is still empty when the time is up
     */
    E get(Duration timeout);

    /** Removes the head item if there is one now, else returns null (Python's {@code get_nowait}, without the exception). */
    E poll();

    /** Removes the head item, waiting at most {@code timeout} for one; null if there was none. */
    E poll(Duration timeout);

    /** How many items the queue holds (approximate while other processes put and get, as Python's {@code qsize()}). */
    int size();

    /** Whether the queue holds {@link #maxsize()} items now (approximate, as Python's {@code full()}). */
    boolean isFull();

    /** The most items the queue holds, or 0 if only its ring's capacity limits it (Python's {@code maxsize}). */
    int maxsize();

    /** The size in bytes of the ring that holds the encoded items: the largest item is a little smaller. */
    int capacity();
}
