package org.jparallel.api;

/**
 * A pipe between two processes (Python's {@code multiprocessing.Pipe()}), made by {@link Shared#pipe()} or
 * {@link Shared#pipe(boolean)}: two {@linkplain SharedConnection connections}, the ends, each given to one
 * process (or thread). Python's {@code a, b = Pipe()} is {@code var pipe = Shared.pipe(); var a = pipe.first();
 * var b = pipe.second();}.
 *
 * <pre>{@code
 * SharedPipe<String> pipe = Shared.pipe();
 * var child = pipe.second();
 * var p = WorkerProcess.start(() -> child.send("hello " + child.recv()));
 * pipe.first().send("world");
 * pipe.first().recv();          // "hello world"
 * }</pre>
 *
 * <p>A duplex pipe carries messages both ways: what one end sends, the other receives. A one-way pipe
 * ({@code Shared.pipe(false)}) carries them from {@link #second()}, which can only send, to {@link #first()},
 * which can only receive — Python's {@code r, w = Pipe(duplex=False)}.
 *
 * <p>The pipe lives in shared memory: one ring of bytes per direction (16 MiB unless made with a capacity).
 * The pipe and its ends travel to workers by reference. {@link #close()} in the process that created the pipe
 * releases its memory, as for every {@link SharedObject}; closing an end is different: see
 * {@link SharedConnection#close()}. Thread-safe.
 *
 * @param <E> the type of the messages
 */
public interface SharedPipe<E> extends SharedObject {

    /** The first end: it receives what {@link #second()} sends (and, duplex, sends to it). */
    SharedConnection<E> first();

    /** The second end: it receives what {@link #first()} sends if the pipe is duplex; it sends to it. */
    SharedConnection<E> second();

    /** Whether messages go both ways. */
    boolean isDuplex();
}
