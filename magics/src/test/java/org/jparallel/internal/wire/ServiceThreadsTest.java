package org.jparallel.internal.wire;

import org.junit.jupiter.api.Test;
import org.zeromq.ZContext;
import zmq.ZError;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;

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

    /** JeroMQ prints what its I/O threads recover from on System.err: the running cell's stream in a kernel. */
    @Test
    void whatZeroMqRecoversFromGoesToTheLogNotToSystemErr() {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (ZContext context = ServiceThreads.newContext()) {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            ZError.IOException recovered = new ZError.IOException(new ClosedChannelException());
            context.getNotificationExceptionHandler().uncaughtException(Thread.currentThread(), recovered);
        } finally {
            System.setErr(original);
        }
        assertEquals("", captured.toString(StandardCharsets.UTF_8));
    }
}
