package org.jparallel.internal.worker;

import org.jparallel.internal.wire.Message;
import org.jparallel.internal.wire.ServiceThreads;
import org.jparallel.internal.wire.WireClient;

import java.io.IOException;

/**
 * Sends a worker's messages to the kernel, each after the task output written before it, so a task's
 * text always arrives before its result. A thread of its own sends the output of tasks that are still
 * running, shortly after it is written, so it shows while they run; what a task prints in a burst
 * travels as one message, or one per megabyte. A task whose output fills the buffer is sent at once, and
 * waits for room while the kernel is slower than it ({@link TaskOutput}).
 *
 * <p>A message that cannot be written means the kernel is gone; it is dropped, and the worker halts
 * when its reading thread sees the connection end.
 */
final class Reporter {

    /** How long written output may wait for more before it is sent. */
    private static final long GATHER_MS = 20;

    private final WireClient kernel;
    private final TaskOutput output;
    private final Thread flusher;

    /** @param output what tasks print, or null for a stand-alone process, which prints to its own streams */
    Reporter(WireClient kernel, TaskOutput output) {
        this.kernel = kernel;
        this.output = output;
        this.flusher = output == null ? null : ServiceThreads.daemon(this::flushWhileRunning, "jparallel-output");
    }

    void start() {
        if (flusher != null) {
            flusher.start();
        }
    }

    /** Sends the output written so far, then the message. */
    synchronized void send(Message message) {
        sendOutput();
        write(message);
    }

    private void flushWhileRunning() {
        try {
            while (true) {
                output.awaitText(GATHER_MS);
                synchronized (this) {
                    sendOutput();
                }
            }
        } catch (InterruptedException e) {
            // the worker is exiting
        }
    }

    private void sendOutput() {
        if (output != null) {
            output.drain().forEach(this::write);
        }
    }

    private void write(Message message) {
        try {
            kernel.send(message);
        } catch (IOException e) {
            // the kernel is gone: the reading thread sees the connection end and halts the worker
        }
    }

    /** Sends the output still buffered; the connection stays open until the process ends. */
    synchronized void flush() {
        sendOutput();
    }
}
