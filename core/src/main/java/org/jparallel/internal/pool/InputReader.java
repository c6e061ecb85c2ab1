package org.jparallel.internal.pool;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Reads a run's input on a thread of its own, so that whoever waits for the run (with a timeout, or
 * an interrupt) bounds the reading too. An input of known length — a collection or an array, already in
 * memory — is read and encoded whole before any of it is queued, so an element that cannot be sent
 * fails the run before anything runs. An input of unknown length — a stream, any other iterable — is
 * read a chunk at a time, as the workers take it: {@link InputFeeder#feed} waits while the run has
 * enough queued, so an endless input holds a bounded number of elements.
 *
 * <p>If the input throws, or an element cannot be sent, the run is stopped with that exception, which
 * its waiter then throws. A run stopped for another reason (a timeout, an interrupt, a closed pool)
 * interrupts this thread, which then reads no more.
 */
final class InputReader implements Runnable {

    private final InputFeeder feeder;
    private final RunWaiter waiter;
    private final Run run;
    private final Iterator<?> input;
    private final long length;
    private final int chunkSize;

    /**
     * @param length    the number of elements, or -1 if unknown
     * @param chunkSize elements per task, or 0 to choose (see {@link ChunkSizer})
     */
    InputReader(InputFeeder feeder, RunWaiter waiter, Run run, Iterator<?> input, long length, int chunkSize) {
        this.feeder = feeder;
        this.waiter = waiter;
        this.run = run;
        this.input = input;
        this.length = length;
        this.chunkSize = chunkSize;
    }

    @Override
    public void run() {
        try {
            if (length >= 0) {
                feeder.queueAll(run, input, chunkSize);
            } else {
                readAsWorkersTakeIt();
            }
        } catch (InterruptedException e) {
            // the run was stopped: nothing more is read
        } catch (RuntimeException e) {
            waiter.stopFor(run, e);
        }
    }

    private void readAsWorkersTakeIt() throws InterruptedException {
        ChunkSizer chunks = feeder.chunkSizer(chunkSize, -1);
        long read = 0;
        while (input.hasNext()) {
            int size = chunks.next(read);
            List<Object> chunk = new ArrayList<>(size);
            while (chunk.size() < size && input.hasNext()) {
                chunk.add(input.next());
            }
            if (!feeder.feed(run, chunk)) {
                return;
            }
            read += chunk.size();
        }
        feeder.endInput(run);
    }
}
