package org.jparallel.internal.shm;

import org.jparallel.api.PipeClosedException;
import org.jparallel.api.SharedConnection;
import org.jparallel.api.SharedObject;

import java.time.Duration;

/**
 * One end of a pipe: end 1 receives from ring 0 and (duplex) sends into ring 1; end 2 sends into ring 0
 * and (duplex) receives from ring 1. Whether an end is closed lives in the rings' flags, so closing it
 * is seen by every process: its write ring's writer flag, its read ring's reader flag.
 */
final class RealSharedConnection<E> extends RealSharedChannel implements SharedConnection<E> {

    private static final Runnable NOTHING = () -> { };

    private final int end;
    /** Null where the end of a one-way pipe cannot receive, or send. */
    private final Ring receiving;
    private final Ring sending;

    RealSharedConnection(Segment segment, int end, ClassLoader loader) {
        super(segment, loader);
        boolean duplex = buffer.getInt(ChannelLayout.RINGS_AT) == 2;
        this.end = end;
        this.receiving = end == 1 ? ring(0) : duplex ? ring(1) : null;
        this.sending = end == 2 ? ring(0) : duplex ? ring(1) : null;
    }

    @Override
    public Descriptor descriptor() {
        return new Descriptor(Kind.PIPE_END, segment.path.toString(), end, segment.length);
    }

    @Override
    public Class<? extends SharedObject> publicType() {
        return SharedConnection.class;
    }

    @Override
    String noun() {
        return "pipe";
    }

    @Override
    void checkUsable() {
        super.checkUsable();
        if (endClosed()) {
            throw new IllegalStateException("this end of the pipe is closed");
        }
    }

    private boolean endClosed() {
        return receiving != null ? receiving.isReaderClosed() : sending.isWriterClosed();
    }

    private void checkSend() {
        checkUsable();
        if (sending.isReaderClosed()) {
            throw new PipeClosedException("cannot send: the other end of the pipe is closed");
        }
    }

    private void checkReceive() {
        checkUsable();
        if (receiving.isWriterClosed() && receiving.isEmpty()) { // closed after its last send, so nothing follows
            throw new PipeClosedException("the other end of the pipe is closed and everything it sent was received");
        }
    }

    @Override
    public void send(E message) {
        if (sending == null) {
            throw new UnsupportedOperationException("this end of a one-way pipe only receives: send from the other"
                    + " end, pipe.second()");
        }
        checkSend();
        byte[] bytes = encode(message, "message", sending, () -> "Shared.pipe(" + (receiving != null) + ", #)");
        sending.write(bytes, Integer.MAX_VALUE, -1, NOTHING, this::checkSend);
    }

    @Override
    @SuppressWarnings("unchecked")
    public E recv() {
        checkCanReceive();
        checkReceive();
        return (E) decode(receiving.read(-1, this::checkReceive));
    }

    @Override
    public boolean poll() {
        return poll(Duration.ZERO);
    }

    @Override
    public boolean poll(Duration timeout) {
        checkCanReceive();
        try {
            return receiving.awaitData(Backoff.nanos(timeout), this::checkReceive);
        } catch (PipeClosedException e) {
            return true; // recv would not wait: it would fail at once
        }
    }

    private void checkCanReceive() {
        if (receiving == null) {
            throw new UnsupportedOperationException("this end of a one-way pipe only sends: receive at the other"
                    + " end, pipe.first()");
        }
    }

    @Override
    public boolean canSend() {
        return sending != null;
    }

    @Override
    public boolean canReceive() {
        return receiving != null;
    }

    @Override
    public void close() {
        if (sending != null) {
            sending.closeWriter();
        }
        if (receiving != null) {
            receiving.closeReader();
        }
    }

    @Override
    public boolean isClosed() {
        return segment.isClosed() || endClosed();
    }

    @Override
    public String toString() {
        String what = receiving == null ? "send only" : sending == null ? "receive only" : "duplex";
        return "SharedConnection(end " + end + ", " + what + (isClosed() ? ", closed)" : ")");
    }
}
