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
 * <p>A pool worker also sends a {@link Message.Heartbeat} every {@value #HEARTBEAT_MS} ms from a thread
 * of its own, so the kernel can tell a worker whose tasks run long (it still beats) from one that stopped
 * (SIGSTOP, a JVM frozen in native code or a stop-the-world pause: nothing beats). A beat is one small frame;
 * two a second cost nothing measurable (bench/pool_bench.py, apply round trip unchanged).
 *
 * <p>A message that cannot be written means the kernel is gone; it is dropped, and the worker halts
 * when its reading thread sees the connection end.
 */
final class Reporter {

    /** How long written output may wait for more before it is sent. */
    private static final long GATHER_MS = 20;
    /** How often a pool worker says it is alive; the kernel's liveness limits are many of these. */
    static final long HEARTBEAT_MS = 500;

    private final WireClient kernel;
    private final TaskOutput output;
    private final Thread flusher;
    private final Thread heartbeat;

    /** @param output what tasks print, or null for a stand-alone process, which prints to its own streams */
    Reporter(WireClient kernel, TaskOutput output) {
        this.kernel = kernel;
        this.output = output;
        this.flusher = output == null ? null : ServiceThreads.daemon(this::flushWhileRunning, "jparallel-output");
        this.heartbeat = output == null ? null : ServiceThreads.daemon(this::beat, "jparallel-heartbeat");
    }

    void start() {
        if (flusher != null) {
            flusher.start();
            heartbeat.start();
        }
    }

    private void beat() {
        try (ProcessStats.Own own = new ProcessStats.Own()) {
            while (true) {
                Thread.sleep(HEARTBEAT_MS);
                // read before taking the lock: /proc is read while task output may wait to be sent
                Message beat = new Message.Heartbeat(own.cpuNanos(), own.rssBytes());
                synchronized (this) {
                    write(beat);
                }
            }
        } catch (InterruptedException e) {
            // the worker is exiting
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
