package org.jparallel.api;

import org.jparallel.testing.Pools;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * How a failure reads for each shape of call: a map names the element and its value, a call with an
 * argument names the argument, a call without one names nothing but the worker; the worker is named
 * once, also when the task killed it. ({@code %%parallel} cells are covered by the kernel's tests, a
 * {@link WorkerProcess} by {@link WorkerProcessIT}.)
 */
class FailureSummaryIT {

    private static String worker(TaskFailure f) {
        return "worker " + f.worker() + " (pid " + f.pid() + ")";
    }

    @Test
    void eachShapeOfCallNamesWhatFailedOnceOnARealPool() throws Exception {
        try (WorkerPool pool = Pools.start(2)) {
            WorkerException killed = assertThrows(WorkerException.class, () -> pool.apply(() -> {
                System.exit(7);
                return 0;
            }));
            TaskFailure died = killed.failures().get(0);
            assertEquals(TaskFailure.Kind.WORKER_DIED, died.kind());
            assertEquals(worker(died) + ": the worker process exited with code 7", died.summary());
            assertEquals("the call failed\n  " + died.summary(), killed.getMessage());

            WorkerException map = assertThrows(WorkerException.class, () -> pool.map(x -> 10 / (x - 2), List.of(1, 2, 3)));
            TaskFailure element = map.failures().get(0);
            assertEquals(worker(element) + ", element 1 (= 2): java.lang.ArithmeticException: / by zero",
                    element.summary());
            assertEquals(1, element.element());

            WorkerException withArgument = assertThrows(WorkerException.class, () -> pool.apply(x -> {
                throw new IllegalStateException("no " + x);
            }, 5));
            TaskFailure argument = withArgument.failures().get(0);
            assertEquals(worker(argument) + ", argument 5: java.lang.IllegalStateException: no 5", argument.summary());
            assertEquals(-1, argument.element());
            assertEquals("the call failed\n  " + argument.summary() + "\n      at " + argument.trace().get(0),
                    withArgument.getMessage().lines().limit(3).reduce((a, b) -> a + "\n" + b).orElseThrow());

            WorkerException withEmptyText = assertThrows(WorkerException.class, () -> pool.map(Integer::parseInt, List.of("")));
            assertEquals(worker(withEmptyText.failures().get(0)) + ", element 0 (= \"\"): java.lang.NumberFormatException: "
                    + "For input string: \"\"", withEmptyText.failures().get(0).summary());

        }
    }

    @Test
    void summariesOfFailuresMadeByHand() {
        TaskFailure process = new TaskFailure(TaskFailure.Kind.EXCEPTION, -1, 4242, -1, "", "java.io.IOException",
                null, List.of(), null);
        assertEquals("pid 4242: java.io.IOException", process.summary());
        TaskFailure queued = new TaskFailure(TaskFailure.Kind.CANCELLED, -1, 0, 7, "seven", null,
                "the pool was terminated", List.of(), null);
        assertEquals("element 7 (= seven): the pool was terminated", queued.summary());
        TaskFailure cell = new TaskFailure(TaskFailure.Kind.EXCEPTION, 1, 99, 1, "", "java.lang.IllegalStateException",
                "boom", List.of(), null);
        assertEquals("worker 1 (pid 99): java.lang.IllegalStateException: boom", cell.summary());
        assertEquals("1 element failed\n  worker 1 (pid 99): java.lang.IllegalStateException: boom",
                new WorkerException(List.of(cell)).getMessage());
    }
}
