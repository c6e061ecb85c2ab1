package org.jparallel.internal.wire;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServiceThreadsTest {

    @Test
    void threadsMadeFromACellAreDaemonsOutsideTheCellsGroup() throws InterruptedException {
        ThreadGroup cell = new ThreadGroup("cell");
        Thread[] made = new Thread[1];
        Thread maker = new Thread(cell, () -> made[0] = ServiceThreads.daemon(() -> { }, "x"), "maker");
        maker.start();
        maker.join();
        assertTrue(made[0].isDaemon());
        assertFalse(cell.parentOf(made[0].getThreadGroup()));
        assertEquals("jparallel-service", made[0].getThreadGroup().getName());
        assertNull(made[0].getThreadGroup().getParent().getParent());
    }
}
