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
 * A worker's {@code System.out} and {@code System.err}: text is buffered and handed to the outbox as
 * {@link Message.Output}, labelled with the task that was running when it was written.
 *
 * <p>The outbox thread drains the buffers every few tens of milliseconds, so a long task's output shows
 * while it runs; the task thread drains them before it reports the task done, so nothing is lost or
 * reordered. Thread-safe.
 */
final class TaskOutput {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final LongSupplier currentTask;
    private long outTask;
    private long errTask;

    TaskOutput(LongSupplier currentTask) {
        this.currentTask = currentTask;
    }

    /** Makes this the process's {@code System.out} and {@code System.err}. */
    void install() {
        System.setOut(new PrintStream(stream(false), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(stream(true), true, StandardCharsets.UTF_8));
    }

    private OutputStream stream(boolean error) {
        return new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[]{(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                append(error, b, off, len);
            }
        };
    }

    private synchronized void append(boolean error, byte[] b, int off, int len) {
        ByteArrayOutputStream buffer = error ? err : out;
        if (buffer.size() == 0) {
            // the task thread drains at the end of every task, so the buffer belongs to the task writing now
            long task = currentTask.getAsLong();
            if (error) {
                errTask = task;
            } else {
                outTask = task;
            }
        }
        buffer.write(b, off, len);
    }

    /** Takes every complete character written so far, as messages. */
    synchronized List<Message.Output> drain() {
        List<Message.Output> messages = new ArrayList<>(2);
        take(out, outTask, false, messages);
        take(err, errTask, true, messages);
        return messages;
    }

    private static void take(ByteArrayOutputStream buffer, long task, boolean error, List<Message.Output> into) {
        if (buffer.size() == 0) {
            return;
        }
        byte[] bytes = buffer.toByteArray();
        int complete = completeLength(bytes);
        buffer.reset();
        buffer.write(bytes, complete, bytes.length - complete);
        if (complete > 0) {
            into.add(new Message.Output(task, error, new String(bytes, 0, complete, StandardCharsets.UTF_8)));
        }
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
