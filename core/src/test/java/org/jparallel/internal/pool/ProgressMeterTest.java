package org.jparallel.internal.pool;

import org.jparallel.api.RunProgress;
import org.jparallel.internal.codec.ValueCodec;
import org.jparallel.internal.wire.Message;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A run's snapshots as its {@link ProgressMeter} makes them, at times the test chooses: the in-chunk counts of
 * workers' progress messages, the rate and the ETA. No JVM.
 */
class ProgressMeterTest {

    private static final long S = 1_000_000_000L;

    private final ValueCodec values = new ValueCodec(ProgressMeterTest.class.getClassLoader());
    private final WorkerHandle w0 = new WorkerHandle(0, 100, 5000);
    private final WorkerHandle w1 = new WorkerHandle(1, 101, 5001);
    private final Run run = new Run(1, RunListener.NONE, List.of(), 2, new byte[]{1}, Message.CallShape.ONE_ARGUMENT,
            false, null, false, false);

    private Task chunk(long first, int size) {
        List<Integer> elements = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            elements.add((int) first + i);
        }
        Task task = new Task(first + 10, run, first, size, values.encodeAll(elements, "element"), -1, elements);
        run.queue(task);
        return task;
    }

    private RunProgress at(long nanos) {
        return run.progress(List.of(w0, w1), List.of(w0, w1), run.startedNanos + nanos);
    }

    /**
     * 1,000 elements of 50 ms on two workers, in chunks of 125: 6.25 s in, the first chunk comes back while the
     * other worker's is as far along. Counted from reports alone over the time since submission, the rate was
     * 20/s and the ETA 43.75 s; the real time left is 18.75 s.
     */
    @Test
    void theEarlyEtaCountsWhatBothWorkersFinishedInsideTheirChunks() {
        w0.join(run.startedNanos);
        w1.join(run.startedNanos);
        Task first = chunk(0, 125);
        Task second = chunk(125, 125);
        for (int c = 2; c < 8; c++) {
            chunk(c * 125L, 125);
        }
        run.endInput();
        assertNull(at(0).eta(), "nothing done: no ETA");
        w0.handed(first, true, run.startedNanos);
        run.sent(run.startedNanos);
        w1.handed(second, true, run.startedNanos);
        first.progressed(60);
        second.progressed(59);
        RunProgress early = at(3 * S);
        assertEquals(119, early.done());
        assertEquals(60, early.workers().get(0).done());
        assertEquals(59, early.workers().get(1).done());
        second.progressed(124);
        w0.gaveBack(first.id, run.startedNanos + 6_250_000_000L);
        run.succeeded(0, new ArrayList<>(Collections.nCopies(125, 0)), w0);
        RunProgress p = at(6_250_000_000L);
        assertEquals(249, p.done());
        assertEquals(1000, p.total());
        double eta = p.eta().toNanos() / 1e9;
        assertEquals(18.75, eta, 0.2, "ETA " + eta + " s");
    }

    @Test
    void theDoneCountNeverGoesDownWhenAChunkIsRunAgain() {
        w0.join(run.startedNanos);
        Task task = chunk(0, 10);
        run.endInput();
        w0.handed(task, true, run.startedNanos);
        run.sent(run.startedNanos);
        task.progressed(7);
        assertEquals(7, at(S).done());
        w0.takeAll();
        task.putBack(true); // its worker died: it will run again from its first element
        assertEquals(7, at(2 * S).done());
    }
}
