package org.jparallel.kernel.io;

import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.messages.publish.PublishDisplayData;
import org.dflib.jjava.jupyter.messages.publish.PublishStream;
import org.dflib.jjava.jupyter.messages.publish.PublishUpdateDisplayData;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Carries everything user code sends to the front end — stdout, stderr, displays and display
 * updates — from any thread to IOPub, in the order it was produced.
 *
 * <p>Writers only append to a queue; one relay thread, never interrupted, does all socket I/O, so an
 * interrupted cell thread can never break a ZeroMQ socket. Consecutive text for the same stream is
 * coalesced into one message, which keeps output live without a message per {@code println}. A line
 * still being written ({@code printf} writes a line in pieces) waits up to 50 ms for its end, so
 * a line reaches the front end, and a saved notebook, in one piece. Output is published under the
 * parent of the current (or most recent) request. Thread-safe.
 */
public final class OutputRelay implements AutoCloseable {

    /** The two text streams. */
    public enum Stream { OUT, ERR }

    private sealed interface Event permits Text, Display {
    }

    private static final class Text implements Event {
        final Stream stream;
        final StringBuilder text = new StringBuilder();

        Text(Stream stream) {
            this.stream = stream;
        }
    }

    private record Display(DisplayData data, boolean update) implements Event {
    }

    /** How long the end of a line being written may be waited for before what there is is published. */
    private static final long PARTIAL_LINE_NS = 50_000_000;

    private final Object lock = new Object();
    private final ArrayDeque<Event> queue = new ArrayDeque<>();
    private final Thread thread;
    private ShellReplyEnvironment env;
    private boolean publishing;
    /** Threads waiting in {@link #drain}: they want everything now, partial lines included. */
    private int draining;
    private boolean closed;

    public OutputRelay() {
        this.thread = new Thread(this::run, "jparallel-iopub-relay");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Publishes from now on under this request's parent header. */
    public void attach(ShellReplyEnvironment env) {
        synchronized (lock) {
            this.env = env;
        }
    }

    /** Appends text to a stream. */
    public void write(Stream stream, String text) {
        if (text.isEmpty()) {
            return;
        }
        synchronized (lock) {
            Event last = queue.peekLast();
            Text target;
            if (last instanceof Text && ((Text) last).stream == stream) {
                target = (Text) last;
            } else {
                target = new Text(stream);
                queue.addLast(target);
                lock.notifyAll();
            }
            target.text.append(text);
            if (text.charAt(text.length() - 1) == '\n') {
                lock.notifyAll(); // a line the relay may be waiting for is complete
            }
        }
    }

    /** Shows display data (a new output, or an update of the one with the same display id). */
    public void display(DisplayData data, boolean update) {
        synchronized (lock) {
            queue.addLast(new Display(data, update));
            lock.notifyAll();
        }
    }

    /** Waits until everything queued so far has been published. */
    public void drain() {
        synchronized (lock) {
            draining++;
            lock.notifyAll();
            boolean interrupted = false;
            while ((!queue.isEmpty() || publishing) && !closed) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            draining--;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits, up to {@link #PARTIAL_LINE_NS}, while the queue ends in the middle of a line; holds the lock. */
    private void awaitLineEnd() throws InterruptedException {
        long deadline = System.nanoTime() + PARTIAL_LINE_NS;
        long left;
        while (endsMidLine() && draining == 0 && !closed && (left = deadline - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.timedWait(lock, left);
        }
    }

    private boolean endsMidLine() {
        Event last = queue.peekLast();
        if (!(last instanceof Text)) {
            return false;
        }
        StringBuilder text = ((Text) last).text;
        return text.charAt(text.length() - 1) != '\n';
    }

    private void run() {
        List<Event> batch = new ArrayList<>();
        while (true) {
            ShellReplyEnvironment target;
            synchronized (lock) {
                publishing = false;
                lock.notifyAll();
                while (queue.isEmpty() && !closed) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (queue.isEmpty()) {
                    return;
                }
                try {
                    awaitLineEnd();
                } catch (InterruptedException e) {
                    return;
                }
                batch.addAll(queue);
                queue.clear();
                publishing = true;
                target = env;
            }
            for (Event event : batch) {
                try {
                    publish(target, event);
                } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
                    refuse(target, event, e);
                }
            }
            batch.clear();
        }
    }

    private static void publish(ShellReplyEnvironment env, Event event) {
        if (env == null) {
            return;
        }
        if (event instanceof Text) {
            Text text = (Text) event;
            env.publish(new PublishStream(text.stream == Stream.OUT
                    ? PublishStream.StreamType.OUT : PublishStream.StreamType.ERR, text.text.toString()));
        } else {
            Display display = (Display) event;
            if (display.update()) {
                env.publish(new PublishUpdateDisplayData(display.data()));
            } else {
                env.publish(new PublishDisplayData(display.data()));
            }
        }
    }

    /**
     * Says on stderr, in the cell, why an event could not be published: a display whose data cannot be
     * converted to JSON (a cycle, a value the converter cannot take) costs that display, not the relay
     * thread, which would leave every later cell waiting for output that never goes.
     */
    private static void refuse(ShellReplyEnvironment env, Event event, Throwable why) {
        String what = event instanceof Text ? "output" : "a display";
        String reason = why instanceof StackOverflowError ? "its data nests too deeply or refers to itself"
                : why.getClass().getName() + (why.getMessage() == null ? "" : ": " + why.getMessage());
        try {
            env.publish(new PublishStream(PublishStream.StreamType.ERR,
                    "jparallel: could not show " + what + " (" + reason + ")\n"));
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            LoggerFactory.getLogger(OutputRelay.class).warn("could not publish " + what + ": " + why + "; nor say so: " + e);
        }
    }

    /** Publishes what is queued, then stops the relay thread. */
    @Override
    public void close() {
        drain();
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
