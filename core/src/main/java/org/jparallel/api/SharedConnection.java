package org.jparallel.api;

import java.time.Duration;

/**
 * One end of a {@link SharedPipe} (Python's {@code multiprocessing.connection.Connection}): it sends messages
 * to the other end and receives what the other end sends, in order. The end of a one-way pipe can do only
 * one of the two.
 *
 * <p><b>Messages.</b> A message is encoded when sent, like any value sent to a worker, and decoded by the
 * receiving process with its own classes; null is a message like any other. A message that cannot be sent
 * fails at {@link #send} with a {@link NotSendableException} naming the message and the path inside it, and
 * nothing is sent. A message larger than the pipe's ring fails with {@link ItemTooLargeException}. While the
 * ring is full, {@code send} waits for the other end to receive.
 *
 * <p><b>Closing.</b> {@link #close()} closes this end for every process, like shutting down a socket: the
 * other end receives what was sent before, then {@link #recv()} fails with {@link PipeClosedException}
 * (Python's {@code EOFError}), and sending to a closed end fails with it too (Python's
 * {@code BrokenPipeError}). Unlike a Python connection, an end is not closed for you when a process
 * exits, nor when another process closes its copy: close it once, when its owner is done. The shared memory
 * is released with the pipe ({@link SharedPipe#close()}).
 *
 * <p>A blocked {@code send} or {@code recv} gives up with a {@link java.util.concurrent.CancellationException}
 * when its thread is interrupted. Thread-safe; as in Python, two processes receiving from one end (or sending
 * to it) at the same time each get whole messages, in an order nobody chooses.
 *
 * @param <E> the type of the messages
 */
public interface SharedConnection<E> extends SharedObject {

    /**
     * Sends a message to the other end, waiting while the pipe is full.
     *
     * @throws NotSendableException      if the message cannot be sent (nothing is sent)
     * @throws ItemTooLargeException     if its encoded form is larger than the pipe's ring
     * @throws PipeClosedException       if the other end is closed
     * @throws UnsupportedOperationException if this end of a one-way pipe only receives
     * @throws IllegalStateException     if this end is closed
     */
    void send(E message);

    /**
     * Receives the next message from the other end, waiting until there is one.
     *
     * @throws PipeClosedException           if the other end is closed and every message it sent was received
     * @throws UnsupportedOperationException if this end of a one-way pipe only sends
     * @throws IllegalStateException         if this end is closed
     */
    E recv();

    /** Whether a message can be received now without waiting (or {@link #recv()} would fail at once: the other end is closed). */
    boolean poll();

    /** {@link #poll()}, waiting at most {@code timeout} for a message (or for the other end to close). */
    boolean poll(Duration timeout);

    /** Whether this end can send (a one-way pipe's {@link SharedPipe#second()}, or either end of a duplex pipe). */
    boolean canSend();

    /** Whether this end can receive (a one-way pipe's {@link SharedPipe#first()}, or either end of a duplex pipe). */
    boolean canReceive();

    /**
     * Closes this end for every process that has it: the other end receives what is left, then gets
     * {@link PipeClosedException}. Idempotent; the pipe's memory stays until the pipe is released.
     */
    @Override
    void close();

    /** Whether this end was closed, by any process. */
    @Override
    boolean isClosed();
}
