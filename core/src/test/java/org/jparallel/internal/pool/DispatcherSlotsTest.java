package org.jparallel.internal.pool;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DispatcherSlotsTest {

    @Test
    void aWorkerNotTimedYetHoldsTwoTasks() {
        assertEquals(2, Dispatcher.slots(0));
    }

    @Test
    void longTasksStayTwoDeep() {
        assertEquals(2, Dispatcher.slots(1_000_000_000L));
        assertEquals(2, Dispatcher.slots(1_000_000L));
    }

    @Test
    void shorterTasksFillAboutTwoMillisecondsOfWork() {
        assertEquals(4, Dispatcher.slots(500_000L));
        assertEquals(20, Dispatcher.slots(100_000L));
    }

    @Test
    void tinyTasksAreCappedAtThirtyTwo() {
        assertEquals(32, Dispatcher.slots(10_000L));
        assertEquals(32, Dispatcher.slots(1L));
    }
}
