package org.jparallel.internal.pool;

import org.jparallel.api.NotSendableException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;

/**
 * The results of a run over a lazy input, read as they are needed: the input is read in chunks only
 * while fewer than {@code window} elements are outstanding, so memory stays bounded however long the
 * input is. Results come in input order, or in completion order. Reading happens on the consumer's
 * thread; an interrupt while waiting stops the run. An element that cannot be sent is found when it
 * is read: the run is stopped (what was sent is cancelled) and the {@link NotSendableException} is
 * thrown to the consumer. An input that throws ends the input there: the results of the elements
 * read before it come first, then the consumer gets what the input threw, as Python's {@code imap} does.
 */
public final class LazyResults<R> implements Iterator<R>, AutoCloseable {

    private final InputFeeder feeder;
    private final RunWaiter waiter;
    private final Run run;
    private final Gatherer gatherer;
    private final Iterator<?> input;
    private final ChunkSizer chunks;
    private final boolean ordered;
    private final long window;
    private long queued;
    private boolean ended;
    /** What the input threw, until the consumer is given it after the results before it. */
    private RuntimeException inputFailure;

    LazyResults(InputFeeder feeder, RunWaiter waiter, Run run, Gatherer gatherer, Iterator<?> input,
                ChunkSizer chunks, boolean ordered, long window) {
        this.feeder = feeder;
        this.waiter = waiter;
        this.run = run;
        this.gatherer = gatherer;
        this.input = input;
        this.chunks = chunks;
        this.ordered = ordered;
        this.window = window;
    }

    @Override
    public boolean hasNext() {
        try {
            while (true) {
                if (gatherer.ready(ordered)) {
                    return true;
                }
                if (gatherer.isFinished()) {
                    if (gatherer.stoppedBy() != null) {
                        throw gatherer.stoppedBy(); // not a silent end: the rest was discarded
                    }
                    if (inputFailure != null) {
                        RuntimeException failure = inputFailure;
                        inputFailure = null;
                        throw failure;
                    }
                    return false; // every result was taken, or the run was stopped
                }
                if (!ended && queued - gatherer.taken() < window) {
                    feedChunk();
                    continue;
                }
                gatherer.awaitReady(ordered);
            }
        } catch (InterruptedException e) {
            waiter.stop(run);
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted after " + gatherer.taken() + " result(s)");
        }
    }

    /** Reads and sends the next chunk; at the end of the input (or its failure), says no more comes. */
    private void feedChunk() throws InterruptedException {
        int size = chunks.next(queued);
        List<Object> chunk = new ArrayList<>(size);
        try {
            while (chunk.size() < size && input.hasNext()) {
                chunk.add(input.next());
            }
        } catch (RuntimeException e) {
            inputFailure = e;
        }
        if (!chunk.isEmpty()) {
            try {
                feeder.feed(run, chunk);
            } catch (NotSendableException e) {
                waiter.stopFor(run, e);
                throw e;
            }
            queued += chunk.size();
        }
        if (inputFailure != null || chunk.size() < size) {
            end();
        }
    }

    private void end() {
        ended = true;
        feeder.endInput(run);
    }

    @Override
    @SuppressWarnings("unchecked")
    public R next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return (R) gatherer.take(ordered);
    }

    /** Stops the run, for a consumer that stops reading early. */
    @Override
    public void close() {
        if (!gatherer.isFinished()) {
            waiter.stop(run);
        }
    }
}
