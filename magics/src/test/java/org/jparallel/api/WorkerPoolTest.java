package org.jparallel.api;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class WorkerPoolTest {

    private static WorkerPool pool;

    @BeforeAll
    static void start() throws InterruptedException {
        pool = WorkerPool.start(2).awaitReady();
    }

    @AfterAll
    static void stop() {
        pool.close();
    }

    @Test
    void mapsInInputOrder() {
        List<Integer> xs = IntStream.range(0, 10).boxed().collect(Collectors.toList());
        assertEquals(List.of(0, 1, 4, 9, 16, 25, 36, 49, 64, 81), pool.map(x -> x * x, xs));
    }

    @Test
    void everyWorkerHasItsOwnPid() {
        List<Long> pids = pool.map(i -> WorkerIdentity.current().pid(), List.of(1, 2, 3, 4, 5, 6, 7, 8), 1);
        Set<Long> distinct = Set.copyOf(pids);
        assertEquals(2, pool.status().size());
        assertEquals(Set.copyOf(pool.status().stream().map(WorkerStatus::pid).collect(Collectors.toList())).containsAll(distinct), true);
    }

    @Test
    void applyReturnsTheResult() {
        int base = 40;
        int sum = pool.apply(x -> x + base, 2);
        assertEquals(42, sum);
    }
}
