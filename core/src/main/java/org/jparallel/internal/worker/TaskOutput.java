package org.jparallel.internal.worker;

import org.jparallel.internal.wire.Message;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * A worker's {@code System.out} and {@code System.err}: text is buffered and sent to the kernel as
 * {@link Message.Output}, labelled with the task that was running when it was written, or with task 0
 * when none was: the worker's own output. The worker's log has a stream of its own ({@link #workerLog}),
 * whose text is the worker's own even while a task runs.
 *
 * <p>The {@link Reporter} drains the buffers shortly after text is written, so a long task's output
 * shows while it runs, and before it sends each message, so nothing is lost or reordered.
 *
 * <p>Nothing is too big to send: a drain makes messages of at most {@link #BATCH_BYTES} each, and a
 * thread that writes while {@link #BUFFER_BYTES} wait to be sent blocks until the reporter has sent them,
 * so a task that prints faster than the kernel takes it is slowed down, not cut (back-pressure). The
 * worker's own log never blocks: it is written by the worker's service threads. Thread-safe.
 */
final class TaskOutput {

    /**
     * The most one message carries. The kernel's decoder refuses a string over 20 M characters, and a
     * 21 MB write used to travel as one message and be dropped there; a megabyte keeps each message
     * far below that and costs one message per megabyte.
     */
    static final int BATCH_BYTES = 1 << 20;
    /** How much may wait to be sent before a writing task blocks. */
    static final int BUFFER_BYTES = 4 * BATCH_BYTES;

    /** What one stream has buffered since the last drain, all of it written under one label. */
    private static final class Pending {
        final boolean error;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long task;

        Pending(boolean error) {
            this.error = error;
        }

        /**
         * Moves every complete character into messages of at most {@link #BATCH_BYTES}, keeping a trailing
         * partial UTF-8 sequence; returns how many bytes it moved.
         */
        int takeInto(List<Message.Output> messages) {
            if (bytes.size() == 0) {
                return 0;
            }
            byte[] all = bytes.toByteArray();
            int complete = completeLength(all, 0, all.length);
            bytes.reset();
            bytes.write(all, complete, all.length - complete);
            for (int from = 0; from < complete; ) {
                int to = from + completeLength(all, from, Math.min(complete, from + BATCH_BYTES));
                messages.add(new Message.Output(task, error, new String(all, from, to - from, StandardCharsets.UTF_8)));
                from = to;
            }
            return complete;
        }
    }

    private final Pending out = new Pending(false);
    private final Pending err = new Pending(true);
    /** Text whose label changed before a drain: ready to send, in the order it was written. */
    private final List<Message.Output> labelled = new ArrayList<>();
    private final LongSupplier currentTask;
    /** Bytes written and not drained yet, in {@link #labelled} and the pending buffers. */
    private long buffered;
    /** Whether text was written since the last drain. */
    private boolean written;
    /** Threads waiting for room to write. */
    private int blocked;

    TaskOutput(LongSupplier currentTask) {
        this.currentTask = currentTask;
    }

    /** Makes this the process's {@code System.out} and {@code System.err}. */
    void install() {
        System.setOut(printStream(false, false));
        System.setErr(printStream(true, false));
    }

    /** A stream for the worker's own log: its text goes to the kernel as the worker's, never a task's. */
    PrintStream workerLog() {
        return printStream(true, true);
    }

    private PrintStream printStream(boolean error, boolean workersOwn) {
        OutputStream stream = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[]{(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                long task = workersOwn ? 0 : currentTask.getAsLong();
                // a batch at a time, so a long write waits for room as it goes instead of filling memory
                for (int done = 0; done < len; done += BATCH_BYTES) {
                    append(error, task, !workersOwn, b, off + done, Math.min(BATCH_BYTES, len - done));
                }
            }
        };
        return new PrintStream(stream, true, StandardCharsets.UTF_8);
    }

    private synchronized void append(boolean error, long task, boolean mayBlock, byte[] b, int off, int len) {
        if (mayBlock) {
            awaitRoom();
        }
        Pending pending = error ? err : out;
        if (pending.task != task) {
            pending.takeInto(labelled); // what is buffered was written by another task, or by none
            pending.task = task;
        }
        pending.bytes.write(b, off, len);
        buffered += len;
        if (!written) {
            written = true;
            notifyAll();
        }
    }

    /**
     * Waits while the buffer is full. A writer that is interrupted (its task is being stopped) writes
     * without waiting, keeping the interrupt: its text is kept, and the stop goes on.
     */
    private void awaitRoom() {
        if (buffered < BUFFER_BYTES) {
            return;
        }
        blocked++;
        notifyAll(); // the reporter sends at once instead of gathering more
        try {
            while (buffered >= BUFFER_BYTES) {
                wait();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            blocked--;
        }
    }

    /**
     * Waits until text is written that was not drained yet, then up to {@code gatherMillis} more for
     * further text to send with it, unless a writer is waiting for room.
     */
    synchronized void awaitText(long gatherMillis) throws InterruptedException {
        while (!written) {
            wait();
        }
        long deadline = System.nanoTime() + gatherMillis * 1_000_000;
        long left;
        while (blocked == 0 && (left = deadline - System.nanoTime()) > 0) {
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** Takes every complete character written so far, as messages of at most {@link #BATCH_BYTES}. */
    synchronized List<Message.Output> drain() {
        if (!written) {
            // the reporter drains before every message it sends, most often with nothing written: waking the
            // threads waiting here then cost every task's report a wake-up of the output thread (0.5 to 1
            // context switch and 4 to 8 µs of CPU per apply, bench/PoolCpuCost.java)
            return List.of();
        }
        written = false;
        List<Message.Output> messages = new ArrayList<>(labelled);
        labelled.clear();
        out.takeInto(messages);
        err.takeInto(messages);
        buffered = out.bytes.size() + err.bytes.size(); // only partial characters stay
        if (blocked > 0) {
            notifyAll(); // writers waiting for room
        }
        return messages;
    }

    /** The length of the longest prefix of {@code bytes[from, to)} that does not end inside a UTF-8 sequence. */
    private static int completeLength(byte[] bytes, int from, int to) {
        int n = to - from;
        for (int back = 1; back <= Math.min(3, n); back++) {
            int b = bytes[to - back] & 0xFF;
            if ((b & 0xC0) == 0x80) {
                continue; // continuation byte: look further back for the lead byte
            }
            int needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            return needed > back ? n - back : n;
        }
        return n;
    }
}
