package org.jparallel.internal.pool;

import org.jparallel.internal.code.CodeSource;
import org.jparallel.internal.codec.ValueCodec;
import org.jparallel.internal.wire.Message;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntToLongFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The default chunks of a known input keep the workers busy to the end: a run of 1,000 elements is played
 * through the real {@link Dispatcher} on a clock of the test's own, two simulated workers running the chunks
 * they are sent one after the other, each element taking the time the test gives it. No JVM, no socket, no
 * sleep: the figures are exact.
 */
class BalancedTailTest {

    private static final long MS = 1_000_000;
    private static final int ELEMENTS = 1000;

    private final ValueCodec values = new ValueCodec(BalancedTailTest.class.getClassLoader());
    private final AtomicLong ids = new AtomicLong();
    private final Object lock = new Object();
    private final WorkerRoster roster = new WorkerRoster();
    private long now;

    /** How the simulated run ended: when the last worker finished, and how long the other one had been idle then. */
    private record Ending(long makespanNanos, long tailIdleNanos) {
    }

    /** Plays a run of {@link #ELEMENTS} elements cut by {@code sizer}, element i taking {@code cost(i)} ns. */
    private Ending play(ChunkSizer sizer, IntToLongFunction cost) {
        List<Deque<Message.RunChunk>> inbox = List.of(new ArrayDeque<>(), new ArrayDeque<>());
        Dispatcher dispatcher = new Dispatcher(roster, (peer, message) -> {
            if (message instanceof Message.RunChunk chunk) {
                inbox.get(peer - 100).add(chunk);
            }
        }, CodeSource.PLAIN, values, 0, ids::incrementAndGet, lock, Runnable::run, () -> now);
        List<WorkerHandle> workers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            WorkerHandle worker = new WorkerHandle(i, 100 + i, 5000 + i);
            roster.add(worker);
            worker.join(now);
            workers.add(worker);
        }
        Run run = new Run(ids.incrementAndGet(), RunListener.NONE, List.of(), ids.incrementAndGet(), new byte[]{1},
                Message.CallShape.ONE_ARGUMENT, false, null, false, false);
        dispatcher.add(run);
        for (int first = 0; first < ELEMENTS; ) {
            int size = Math.min(sizer.next(first), ELEMENTS - first);
            List<Integer> elements = new ArrayList<>();
            for (int i = first; i < first + size; i++) {
                elements.add(i);
            }
            run.queue(new Task(ids.incrementAndGet(), run, first, size, values.encodeAll(elements, "element"), -1, elements));
            first += size;
        }
        run.endInput();
        synchronized (lock) {
            dispatcher.dispatch();
        }
        long[] freeAt = new long[2];
        while (!run.isFinished()) {
            // the worker whose current chunk ends first reports it; a worker starts a chunk as soon as it is free
            int next = -1;
            long nextEnd = Long.MAX_VALUE;
            for (int w = 0; w < 2; w++) {
                Message.RunChunk chunk = inbox.get(w).peek();
                if (chunk != null) {
                    Task task = workers.get(w).task(chunk.task());
                    long end = Math.max(freeAt[w], task.sentNanos());
                    for (long i = task.firstElement; i < task.firstElement + task.size; i++) {
                        end += cost.applyAsLong((int) i);
                    }
                    if (end < nextEnd) {
                        nextEnd = end;
                        next = w;
                    }
                }
            }
            Message.RunChunk chunk = inbox.get(next).poll();
            now = nextEnd;
            freeAt[next] = nextEnd;
            int size = workers.get(next).task(chunk.task()).size;
            synchronized (lock) {
                dispatcher.done(workers.get(next), new Message.Done(chunk.task(),
                        values.encodeAll(new ArrayList<>(Collections.nCopies(size, 0)), "result"), List.of()));
                dispatcher.dispatch();
            }
        }
        long last = Math.max(freeAt[0], freeAt[1]);
        return new Ending(last, last - Math.min(freeAt[0], freeAt[1]));
    }

    @Test
    void aThousandElementsOfFiftyMillisecondsOnTwoWorkersEndWithinTwoPercentOfTheIdeal() {
        Ending ending = play(ChunkSizer.forLength(ELEMENTS, 2), i -> 50 * MS);
        assertTrue(ending.makespanNanos() <= 25_500 * MS, "ended after " + ending.makespanNanos() / 1e9 + " s");
        // at most one of the last chunks (16 elements, 0.8 s) runs while the other worker has none left
        assertTrue(ending.tailIdleNanos() <= 800 * MS, "a worker idled " + ending.tailIdleNanos() / 1e9 + " s");
    }

    /**
     * Elements whose cost grows along the input (20 to 80 ms, 50 on average), as in a triangular loop: Python's
     * rule (8 chunks of 125) ends with one worker running the heaviest chunk alone; guided chunks do not.
     */
    @Test
    void elementsOfGrowingCostLeaveNoWorkerIdleAtTheEnd() {
        IntToLongFunction growing = i -> (20 + 60L * i / ELEMENTS) * MS;
        Ending ending = play(ChunkSizer.forLength(ELEMENTS, 2), growing);
        // less than one of the last chunks (16 elements of 80 ms); Python's 8 chunks left 3.7 s
        assertTrue(ending.tailIdleNanos() <= 1_280 * MS, "a worker idled " + ending.tailIdleNanos() / 1e9 + " s at the end");
        assertTrue(ending.makespanNanos() <= 25_500 * MS, "ended after " + ending.makespanNanos() / 1e9 + " s");
    }

    @Test
    void chunksStartAtPythonsSizeAndShrinkToAFloorOfAThirtySecondOfAWorkersShare() {
        ChunkSizer sizer = ChunkSizer.forLength(ELEMENTS, 2);
        List<Integer> sizes = new ArrayList<>();
        for (long first = 0; first < ELEMENTS; ) {
            int size = (int) Math.min(sizer.next(first), ELEMENTS - first);
            sizes.add(size);
            first += size;
        }
        assertEquals(List.of(125, 125, 125, 125, 125, 94, 71, 53, 40, 30, 22, 17), sizes.subList(0, 12));
        assertEquals(15, sizes.size(), sizes::toString);
        assertEquals(ELEMENTS, sizes.stream().mapToInt(Integer::intValue).sum());
    }
}
