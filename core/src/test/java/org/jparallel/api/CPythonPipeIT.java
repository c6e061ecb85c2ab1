package org.jparallel.api;

import org.jparallel.testing.PoolPerClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CPython's {@code _TestConnection} and {@code _TestPoll}, ported to {@link SharedPipe} and
 * {@link SharedConnection} between this JVM and a worker of one shared pool: an echoing worker, poll, large
 * messages, one-way pipes, closed ends. Nothing is left in /dev/shm. See docs/cpython-checklist.md.
 */
class CPythonPipeIT {

    private static final Duration LIMIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final PoolPerClass POOL = new PoolPerClass(1);

    /** CPython's {@code _echo}: sends back every message until an empty byte array, then closes its end. */
    private static AsyncResult<Integer> echo(SharedConnection<Object> child) {
        return POOL.get().applyAsync(() -> {
            int n = 0;
            for (Object m = child.recv(); !(m instanceof byte[] b && b.length == 0); m = child.recv()) {
                child.send(m);
                n++;
            }
            child.close();
            return n;
        });
    }

    @Test // _TestConnection.test_connection
    void aWorkerEchoesEveryKindOfMessageThenItsClosedEndEndsTheReceiving() throws Exception {
        try (SharedPipe<Object> pipe = Shared.pipe(true, 40 << 20)) {
            SharedConnection<Object> conn = pipe.first();
            AsyncResult<Integer> child = echo(pipe.second());
            List<Object> seq = Arrays.asList(1, 2.25, null);
            conn.send(seq);
            assertEquals(seq, conn.recv());
            byte[] msg = "hello world".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            conn.send(msg);
            assertArrayEquals(msg, (byte[]) conn.recv());
            conn.send(new int[]{0, 1, 2, 3});
            assertArrayEquals(new int[]{0, 1, 2, 3}, (int[]) conn.recv());

            assertFalse(conn.poll());
            assertFalse(conn.poll(Duration.ZERO));
            assertFalse(conn.poll(Duration.ofMillis(100)));
            conn.send(null);
            assertTrue(conn.poll(LIMIT));
            assertNull(conn.recv());

            byte[] reallyBig = new byte[16 * 1024 * 1024];
            Arrays.fill(reallyBig, (byte) 'X');
            conn.send(reallyBig);
            assertArrayEquals(reallyBig, (byte[]) conn.recv());

            conn.send(new byte[0]); // tell the child to quit
            assertEquals(5, child.get(LIMIT));
            assertTrue(conn.canSend() && conn.canReceive());
            assertThrows(PipeClosedException.class, conn::recv);
            assertThrows(PipeClosedException.class, () -> conn.send(1));
        }
    }

    @Test // test_connection's 16 MiB message through a pipe of the default size: refused, saying what to do
    void aMessageLargerThanTheDefaultPipeIsRefusedAndThePipeStaysUsable() {
        try (SharedPipe<byte[]> pipe = Shared.pipe()) {
            ItemTooLargeException e = assertThrows(ItemTooLargeException.class,
                    () -> pipe.first().send(new byte[16 * 1024 * 1024]));
            assertTrue(e.size() > e.limit(), e.getMessage());
            assertTrue(e.getMessage().contains("Shared.pipe("), e.getMessage());
            assertFalse(pipe.second().poll(), "nothing was sent");
            pipe.first().send(new byte[]{1});
            assertArrayEquals(new byte[]{1}, pipe.second().recv());
        }
    }

    @Test // test_duplex_false
    void aOneWayPipesEndsDoOnlyTheirOwnHalf() {
        try (SharedPipe<Integer> pipe = Shared.pipe(false)) {
            SharedConnection<Integer> reader = pipe.first();
            SharedConnection<Integer> writer = pipe.second();
            writer.send(1);
            assertEquals(1, reader.recv());
            assertTrue(reader.canReceive());
            assertFalse(reader.canSend());
            assertFalse(writer.canReceive());
            assertTrue(writer.canSend());
            assertThrows(UnsupportedOperationException.class, () -> reader.send(2));
            assertThrows(UnsupportedOperationException.class, writer::recv);
            assertThrows(UnsupportedOperationException.class, writer::poll);
        }
    }

    @Test // _TestConnection.test_context
    void endsClosedByTryWithResourcesRefuseToBeUsed() {
        try (SharedPipe<Integer> pipe = Shared.pipe()) {
            SharedConnection<Integer> a = pipe.first();
            SharedConnection<Integer> b = pipe.second();
            try (a; b) {
                a.send(1729);
                assertEquals(1729, b.recv());
                assertFalse(a.isClosed());
                assertFalse(b.isClosed());
            }
            assertTrue(a.isClosed());
            assertTrue(b.isClosed());
            assertThrows(IllegalStateException.class, a::recv);
            assertThrows(IllegalStateException.class, b::recv);
        }
    }

    @Test // _TestPoll.test_empty_string: an empty message is a message, and poll does not take it
    void anEmptyMessageIsSeenByPollWithoutBeingTaken() {
        try (SharedPipe<byte[]> pipe = Shared.pipe()) {
            assertFalse(pipe.first().poll());
            pipe.second().send(new byte[0]);
            assertTrue(pipe.first().poll());
            assertTrue(pipe.first().poll());
            assertArrayEquals(new byte[0], pipe.first().recv());
        }
    }

    @Test // _TestPoll.test_strings and test_dont_merge: messages from a worker arrive whole, one by one
    void messagesAWorkerSendsArriveOneByOneNeverMerged() throws Exception {
        byte[][] strings = {"hello".getBytes(), {}, "a".getBytes(), "b".getBytes(), {}, "bye".getBytes(), {}, "lop".getBytes()};
        try (SharedPipe<byte[]> pipe = Shared.pipe()) {
            SharedConnection<byte[]> b = pipe.second();
            AsyncResult<Integer> child = POOL.get().applyAsync(() -> {
                for (byte[] s : strings) {
                    b.send(s);
                }
                b.close();
                return strings.length;
            });
            for (byte[] s : strings) {
                assertTrue(pipe.first().poll(LIMIT));
                assertTrue(pipe.first().poll(Duration.ZERO));
                assertArrayEquals(s, pipe.first().recv());
            }
            assertEquals(strings.length, child.get(LIMIT));
            assertTrue(pipe.first().poll(), "a closed other end makes recv fail at once");
            assertThrows(PipeClosedException.class, pipe.first()::recv);
        }
    }

    @Test // _TestPoll.test_boundaries: a worker's poll does not take part of a message
    void aWorkersPollLeavesWholeMessagesForTheReader() throws Exception {
        try (SharedPipe<byte[]> pipe = Shared.pipe(false)) {
            SharedConnection<byte[]> r = pipe.first();
            SharedConnection<byte[]> w = pipe.second();
            List<byte[]> sent = List.of("first".getBytes(), "second".getBytes());
            assertTrue(POOL.get().applyAsync(() -> {
                w.send(sent.get(0));
                w.send(sent.get(1));
                w.close();
                return r.poll(LIMIT);
            }).get(LIMIT));
            assertArrayEquals(sent.get(0), r.recv());
            assertArrayEquals(sent.get(1), r.recv());
        }
    }
}
