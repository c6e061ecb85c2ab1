package org.jparallel.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingSupplier;

import java.io.Serializable;
import java.time.Duration;
import java.util.AbstractList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deep object graphs through a real pool: results, captured values of a function and results the kernel
 * cannot rebuild. Each either arrives whole or fails as its own task's failure, and the pool goes on
 * working: neither the kernel's wire thread nor a worker dies of a user's data.
 */
class DeepGraphPoolTest {

    private static final Duration CALL = Duration.ofSeconds(120);

    /** A plain linked list node, as a user's notebook class would be. */
    static final class Node implements Serializable {
        int value;
        Node next;
    }

    /** Hashes through its whole chain, as a naive user hashCode does: rebuilding a set of them overflows. */
    static final class Hashed implements Serializable {
        Hashed inner;

        @Override
        public int hashCode() {
            return inner == null ? 1 : 31 * inner.hashCode();
        }

        @Override
        public boolean equals(Object other) {
            return this == other;
        }
    }

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

    static Node chain(int length) {
        Node head = null;
        for (int i = length - 1; i >= 0; i--) {
            Node node = new Node();
            node.value = i;
            node.next = head;
            head = node;
        }
        return head;
    }

    /** The chain's length, after checking that it holds 0, 1, 2, ... in order. */
    static int length(Node head) {
        int n = 0;
        for (Node node = head; node != null; node = node.next) {
            if (node.value != n++) {
                throw new IllegalStateException("node " + (n - 1) + " holds " + node.value);
            }
        }
        return n;
    }

    /** A set holding one element whose hash, computed again on the receiver, recurses {@code depth} levels. */
    static Set<Hashed> setOfDeepHash(int depth) {
        Hashed key = new Hashed();
        Set<Hashed> set = new HashSet<>(Set.of(key));
        Hashed inner = key;
        for (int i = 0; i < depth; i++) {
            inner.inner = new Hashed();
            inner = inner.inner;
        }
        return set;
    }

    private static <T> T within(ThrowingSupplier<T> call) {
        return assertTimeoutPreemptively(CALL, call);
    }

    private static void test(PoolBody body) throws Exception {
        WorkerPool pool = PoolFaultsTest.pool(2);
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
                Node copy = within(() -> pool.apply(() -> chain(length)));
                assertEquals(length, length(copy));
            }
            assertEquals(List.of(2, 3, 4), within(() -> pool.map(x -> x + 1, List.of(1, 2, 3))));
        });
    }

    @Test
    void aDeepChainCapturedByTheFunctionReachesTheWorkers() throws Exception {
        test(pool -> {
            for (int length : new int[] {5_000, 100_000}) {
                Node captured = chain(length);
                assertEquals(List.of(length + 1, length + 2),
                        within(() -> pool.map(x -> length(captured) + x, List.of(1, 2), 1)));
            }
        });
    }

    @Test
    void aResultTheKernelCannotRebuildFailsItsTaskAndThePoolGoesOn() throws Exception {
        test(pool -> {
            WorkerException e = assertThrows(WorkerException.class, () -> within(() -> pool.apply(() -> setOfDeepHash(200_000))));
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
