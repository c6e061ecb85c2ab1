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
 * shows while it runs, and before it sends each message, so nothing is lost or reordered. Thread-safe.
 */
final class TaskOutput {

    /** What one stream has buffered since the last drain, all of it written under one label. */
    private static final class Pending {
        final boolean error;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long task;

        Pending(boolean error) {
            this.error = error;
        }

        /** Moves every complete character into a message, keeping a trailing partial UTF-8 sequence. */
        void takeInto(List<Message.Output> messages) {
            if (bytes.size() == 0) {
                return;
            }
            byte[] all = bytes.toByteArray();
            int complete = completeLength(all);
            bytes.reset();
            bytes.write(all, complete, all.length - complete);
            if (complete > 0) {
                messages.add(new Message.Output(task, error, new String(all, 0, complete, StandardCharsets.UTF_8)));
            }
        }
    }

    private final Pending out = new Pending(false);
    private final Pending err = new Pending(true);
    /** Text whose label changed before a drain: ready to send, in the order it was written. */
    private final List<Message.Output> labelled = new ArrayList<>();
    private final LongSupplier currentTask;
    /** Whether text was written since the last drain. */
    private boolean written;

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
                append(error, workersOwn ? 0 : currentTask.getAsLong(), b, off, len);
            }
        };
        return new PrintStream(stream, true, StandardCharsets.UTF_8);
    }

    private synchronized void append(boolean error, long task, byte[] b, int off, int len) {
        Pending pending = error ? err : out;
        if (pending.task != task) {
            pending.takeInto(labelled); // what is buffered was written by another task, or by none
            pending.task = task;
        }
        pending.bytes.write(b, off, len);
        if (!written) {
            written = true;
            notifyAll();
        }
    }

    /** Waits until text is written that was not drained yet. */
    synchronized void awaitText() throws InterruptedException {
        while (!written) {
            wait();
        }
    }

    /** Takes every complete character written so far, as messages. */
    synchronized List<Message.Output> drain() {
        written = false;
        List<Message.Output> messages = new ArrayList<>(labelled);
        labelled.clear();
        out.takeInto(messages);
        err.takeInto(messages);
        return messages;
    }

    /** The length of the longest prefix that does not end inside a UTF-8 sequence. */
    private static int completeLength(byte[] bytes) {
        int n = bytes.length;
        for (int back = 1; back <= Math.min(3, n); back++) {
            int b = bytes[n - back] & 0xFF;
            if ((b & 0xC0) == 0x80) {
                continue; // continuation byte: look further back for the lead byte
            }
            int needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            return needed > back ? n - back : n;
        }
        return n;
    }
}
