package org.jparallel.internal.manager;

import org.jparallel.internal.wire.ServiceThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One service thread that owns one ZeroMQ socket (in a context of its own) and waits for two things at
 * once: a message on the socket, and work queued by other threads. Other threads never touch the
 * socket — a cell or task thread may be interrupted, and JeroMQ is not safe against that — they queue a
 * {@link Consumer} of the socket and wake the thread with {@link Selector#wakeup()}, which no interrupt
 * can break.
 *
 * <p>The thread selects on the socket's file descriptor ({@link ZMQ.Socket#getFD()}), which becomes
 * readable when the socket has commands to process; it then reads every message
 * {@link ZMQ.Socket#getEvents()} says is ready, which also processes those commands, so the descriptor is
 * quiet again until something new arrives. A request is therefore served without polling delays.
 */
final class SocketLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SocketLoop.class);
    private static final long IDLE_MS = 1000;
    private static final long CLOSE_WAIT_MS = 2000;

    private final ZContext context = ServiceThreads.newContext();
    private final ZMQ.Socket socket;
    private final Selector selector;
    private final Consumer<ZMQ.Socket> onReadable;
    private final ConcurrentLinkedQueue<Consumer<ZMQ.Socket>> work = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    /**
     * Makes the socket with {@code open} on the calling thread; the loop thread, started by {@link #start()},
     * owns it from then on.
     *
     * @param onReadable reads one message from the socket; called on the loop thread while messages wait
     */
    SocketLoop(Function<ZContext, ZMQ.Socket> open, Consumer<ZMQ.Socket> onReadable, String threadName) {
        this.socket = open.apply(context);
        this.onReadable = onReadable;
        try {
            this.selector = Selector.open();
            socket.getFD().register(selector, SelectionKey.OP_READ);
        } catch (IOException e) {
            socket.close();
            context.close();
            throw new UncheckedIOException("cannot watch a ZeroMQ socket", e);
        }
        this.thread = ServiceThreads.daemon(this::run, threadName);
    }

    /** Starts the loop thread. */
    void start() {
        thread.start();
    }

    /** Runs {@code action} with the socket on the loop thread, after what was queued before it; never blocks. */
    void execute(Consumer<ZMQ.Socket> action) {
        work.add(action);
        selector.wakeup();
    }

    /** Whether the calling thread is this loop's thread. */
    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    private void run() {
        try {
            while (!closed) {
                for (Consumer<ZMQ.Socket> action = work.poll(); action != null; action = work.poll()) {
                    action.accept(socket);
                }
                while (!closed && (socket.getEvents() & ZMQ.Poller.POLLIN) != 0) {
                    onReadable.accept(socket);
                }
                if (work.isEmpty() && !closed) {
                    selector.select(IDLE_MS);
                    selector.selectedKeys().clear();
                }
            }
        } catch (IOException | ZMQException e) {
            if (!closed) {
                LOG.error("{} failed", thread.getName(), e);
            }
        } finally {
            socket.close();
            try {
                selector.close();
            } catch (IOException e) {
                LOG.debug("closing the selector of {} failed", thread.getName(), e);
            }
            context.close();
        }
    }

    /** Stops the thread, which closes the socket and its context; waits for it unless called on it. */
    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        if (!inLoop()) {
            try {
                thread.join(CLOSE_WAIT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
