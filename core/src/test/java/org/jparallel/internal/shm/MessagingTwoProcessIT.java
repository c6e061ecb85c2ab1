package org.jparallel.internal.shm;

import org.jparallel.api.PipeClosedException;
import org.jparallel.api.Shared;
import org.jparallel.api.SharedConnection;
import org.jparallel.api.SharedPipe;
import org.jparallel.api.SharedQueue;
import org.jparallel.testing.NoSegmentsLeft;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Queues and pipes between this JVM and a child JVM ({@link ChannelChild}). */
@ExtendWith(NoSegmentsLeft.class)
class MessagingTwoProcessIT {

    private static final Duration LIMIT = Duration.ofSeconds(60);

    private static void awaitExit(Process child, int status) {
        try {
            assertTimeoutPreemptively(LIMIT, () -> assertEquals(status, child.waitFor()));
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void itemsPutByAnotherProcessArriveInOrder() throws Exception {
        int n = 50_000;
        try (SharedQueue<Integer> q = Shared.queue(1000, 1 << 16)) {
            Process child = ChannelChild.start("produce", Integer.toString(n), ChildProcess.describe(q));
            for (int i = 0; i < n; i++) {
                assertEquals(i, q.get(LIMIT));
            }
            awaitExit(child, 0);
            assertTrue(q.isEmpty());
        }
    }

    @Test
    void aProducerKilledInTheMiddleOfAPutLeavesNoHalfItemAndTheQueueUsable() throws Exception {
        try (SharedQueue<Integer> q = Shared.queue()) {
            Process child = ChannelChild.start("put-then-die", "10", ChildProcess.describe(q));
            awaitExit(child, 9);
            for (int i = 0; i < 10; i++) {
                assertEquals(i, q.get(), "the whole items it put");
            }
            assertNull(q.poll(), "not the half-written one");
            q.put(10); // takes the producer lock over from the dead process
            q.put(11);
            assertEquals(10, q.get());
            assertEquals(11, q.get());
            assertTrue(q.isEmpty());
        }
    }

    @Test
    void aPipePingPongsWithAnotherProcessUntilThisEndCloses() throws Exception {
        try (SharedPipe<Integer> pipe = Shared.pipe()) {
            SharedConnection<Integer> mine = pipe.first();
            Process child = ChannelChild.start("echo", ChildProcess.describe(pipe.second()));
            int x = 0;
            for (int round = 0; round < 2000; round++) {
                mine.send(x);
                x = mine.recv();
            }
            assertEquals(2000, x);
            mine.close();
            awaitExit(child, 0); // it saw the end of the pipe, closed its end and exited
            assertTrue(pipe.second().isClosed(), "closed by the child, seen here");
            assertThrows(IllegalStateException.class, () -> mine.send(1));
        }
    }

    @Test
    void recvDrainsWhatAnotherProcessSentThenFailsWithEndOfPipe() throws Exception {
        try (SharedPipe<Integer> pipe = Shared.pipe(false, 4096)) {
            Process child = ChannelChild.start("send-and-close", "5000", ChildProcess.describe(pipe.second()));
            for (int i = 0; i < 5000; i++) {
                assertEquals(i, pipe.first().recv());
            }
            assertThrows(PipeClosedException.class, () -> pipe.first().recv());
            awaitExit(child, 0);
        }
    }
}
