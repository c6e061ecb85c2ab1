package org.jparallel.api;

import org.jparallel.internal.codec.DeepGraphs.Node;
import org.jparallel.internal.codec.DeepGraphs;
import org.jparallel.testing.Pools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingSupplier;

import java.time.Duration;
import java.util.AbstractList;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deep object graphs through a real pool: results, captured values of a function and results the kernel
 * cannot rebuild. Each either arrives whole or fails as its own task's failure, and the pool goes on
 * working: neither the kernel's wire thread nor a worker dies of a user's data.
 */
class DeepGraphPoolIT {

    private static final Duration CALL = Duration.ofSeconds(120);

    /** A list whose iterator throws an Error, as broken user code can. */
    static final class BrokenList extends AbstractList<Integer> {
        @Override
        public Integer get(int index) {
            throw new AssertionError("broken list");
        }

        @Override
        public int size() {
            return 1;
        }
    }

    /** A list whose iterator fails every other time it is asked for, so it encodes alone but not in its batch. */
    static final class FlakyList extends AbstractList<Integer> {
        private int iterations;

        @Override
        public Iterator<Integer> iterator() {
            if (iterations++ % 2 == 0) {
                throw new IllegalStateException("flaky iterator");
            }
            return super.iterator();
        }

        @Override
        public Integer get(int index) {
            return index;
        }

        @Override
        public int size() {
            return 1;
        }
    }

    private static <T> T within(ThrowingSupplier<T> call) {
        return assertTimeoutPreemptively(CALL, call);
    }

    private static void test(PoolBody body) throws Exception {
        WorkerPool pool = Pools.start(2);
        boolean passed = false;
        try {
            body.run(pool);
            passed = true;
        } finally {
            if (passed) {
                pool.close();
            } else {
                pool.terminate();
            }
        }
    }

    private interface PoolBody {
        void run(WorkerPool pool) throws Exception;
    }

    @Test
    void chainsOfFiveThousandAndAHundredThousandNodesComeBackAndThePoolGoesOn() throws Exception {
        test(pool -> {
            for (int length : new int[] {5_000, 100_000}) {
                Node copy = within(() -> pool.apply(() -> DeepGraphs.chain(length)));
                assertEquals(length, DeepGraphs.length(copy));
            }
            assertEquals(List.of(2, 3, 4), within(() -> pool.map(x -> x + 1, List.of(1, 2, 3))));
        });
    }

    @Test
    void aDeepChainCapturedByTheFunctionReachesTheWorkers() throws Exception {
        test(pool -> {
            for (int length : new int[] {5_000, 100_000}) {
                Node captured = DeepGraphs.chain(length);
                assertEquals(List.of(length + 1, length + 2),
                        within(() -> pool.map(x -> DeepGraphs.length(captured) + x, List.of(1, 2), 1)));
            }
        });
    }

    @Test
    void aResultTheKernelCannotRebuildFailsItsTaskAndThePoolGoesOn() throws Exception {
        test(pool -> {
            WorkerException e = assertThrows(WorkerException.class, () -> within(() -> pool.apply(() -> DeepGraphs.setOfDeepHash(200_000))));
            assertEquals(1, e.failures().size(), e.getMessage());
            String message = e.failures().get(0).message();
            assertTrue(message.contains("could not be decoded in the kernel"), message);
            assertTrue(message.contains("StackOverflowError"), message);
            for (int round = 0; round < 3; round++) {
                assertEquals(List.of(1, 4, 9), within(() -> pool.map(x -> x * x, List.of(1, 2, 3))));
            }
        });
    }

    @Test
    void aResultWhoseEncodingFailsIsThatElementsFailureAndTheWorkerGoesOn() throws Exception {
        test(pool -> {
            WorkerException e = assertThrows(WorkerException.class, () -> within(() -> pool.map(
                    x -> x == 2 ? new BrokenList() : (Object) x, List.of(1, 2, 3), 3)));
            assertEquals(1, e.failures().size(), e.getMessage());
            TaskFailure f = e.failures().get(0);
            assertEquals(1, f.element());
            assertEquals(TaskFailure.Kind.NOT_SENDABLE, f.kind());
            assertTrue(f.message().contains("AssertionError: broken list"), f.message());
            assertEquals(List.of(2, 3, 4), within(() -> pool.map(x -> x + 1, List.of(1, 2, 3), 1)));
        });
    }

    @Test
    void resultsThatEncodeAloneButNotTogetherFailTheirTaskAndTheWorkerGoesOn() throws Exception {
        test(pool -> {
            WorkerException e = assertThrows(WorkerException.class, () -> within(() -> pool.map(
                    x -> x == 2 ? new FlakyList() : (Object) x, List.of(1, 2, 3), 3)));
            assertEquals(3, e.failures().size(), e.getMessage());
            for (TaskFailure f : e.failures()) {
                assertEquals(TaskFailure.Kind.NOT_SENDABLE, f.kind());
                assertTrue(f.message().contains("flaky iterator"), f.message());
            }
            assertEquals(List.of(2, 3, 4), within(() -> pool.map(x -> x + 1, List.of(1, 2, 3), 1)));
        });
    }
}
