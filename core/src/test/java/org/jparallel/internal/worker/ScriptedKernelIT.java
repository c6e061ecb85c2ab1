package org.jparallel.internal.worker;

import org.jparallel.api.SerialFunction;
import org.jparallel.internal.wire.MessageCodec;
import org.jparallel.internal.codec.ValueCodec;
import org.jparallel.internal.launch.WorkerLauncher;
import org.jparallel.internal.wire.Message;
import org.jparallel.internal.wire.PeerAuthentication;
import org.jparallel.internal.wire.WireServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * This test plays the kernel for one real worker JVM: it launches the worker with {@link WorkerLauncher},
 * receives its hello on a wire it owns, sends it work, and ends it by closing its standard input or its
 * connection.
 */
class ScriptedKernelIT {

    private static final int WORKER_PEER = 42;
    private static final long WAIT_S = 30;

    private final byte[] secret = PeerAuthentication.newSecret();
    private final MessageCodec messages = new MessageCodec();
    private final ValueCodec values = new ValueCodec(ScriptedKernelIT.class.getClassLoader());
    private final LinkedBlockingQueue<Message> fromWorker = new LinkedBlockingQueue<>();
    private final List<Integer> senders = new ArrayList<>();
    private final StringBuilder untasked = new StringBuilder();
    private WireServer wire;
    private Process process;
    private java.io.OutputStream stdin;

    @AfterEach
    void tearDown() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        if (wire != null) {
            wire.close();
        }
    }

    private Message next() throws InterruptedException {
        Message m = fromWorker.poll(WAIT_S, TimeUnit.SECONDS);
        assertNotNull(m, "the worker sent nothing within " + WAIT_S + " s");
        return m;
    }

    /** Output messages of a task, then its Done. */
    private record Reply(String out, String err, Message.Done done) {
    }

    private Reply replyTo(long task) throws InterruptedException {
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        while (true) {
            Message m = next();
            if (m instanceof Message.Heartbeat) {
                continue; // twice a second from the worker's start: a loaded machine makes a script last that long
            }
            if (m instanceof Message.Output o && o.task() == 0) {
                synchronized (untasked) {
                    untasked.append(o.text()); // written outside any task: the worker's own log lines
                }
            } else if (m instanceof Message.Output o) {
                assertEquals(task, o.task(), "output of another task: " + o);
                (o.error() ? err : out).append(o.text());
            } else if (m instanceof Message.Done d) {
                assertEquals(task, d.task(), "done of another task: " + d);
                return new Reply(out.toString(), err.toString(), d);
            } else {
                throw new AssertionError("unexpected " + m);
            }
        }
    }

    private Message.RunChunk chunk(long task, long functionId, SerialFunction<Integer, Object> fn, List<Integer> xs) {
        return new Message.RunChunk(task, functionId, fn == null ? null : values.encode(fn, "fn"),
                Message.CallShape.ONE_ARGUMENT, 0, values.encodeAll(xs, "element"));
    }

    /** Starts the kernel side and one worker; returns its hello. */
    private Message.Hello startWorker() throws Exception {
        wire = new WireServer(secret, messages, (peer, m) -> {
            synchronized (senders) {
                senders.add(peer);
            }
            fromWorker.add(m);
        }, "kernel-wire");
        WorkerLauncher.Launched launched = new WorkerLauncher(System.getProperty("java.class.path"), List.of())
                .launch(wire.port(), WORKER_PEER, 0, "worker-0", secret);
        process = launched.process();
        stdin = launched.stdin();
        return assertInstanceOf(Message.Hello.class, next());
    }

    @Test
    void aChunkThatCannotStartIsAnsweredWithAFailedDone() throws Exception {
        startWorker();
        wire.send(WORKER_PEER, chunk(5, 999, null, List.of(1))); // function 999 was never sent
        wire.send(WORKER_PEER, chunk(6, 100, x -> x, List.of(2)));  // a good task behind it
        assertWholeTaskFailed(replyTo(5), "999");
        Reply next = replyTo(6);
        assertEquals(List.of(), next.done().failures());
        assertEquals(List.of(2), values.decodeAll(next.done().results()));

        // bytes that do not decode, as the function and as the elements
        byte[] garbage = {1, 2, 3};
        wire.send(WORKER_PEER, new Message.RunChunk(7, 101, garbage, Message.CallShape.ONE_ARGUMENT, 0,
                values.encodeAll(List.of(3), "element")));
        wire.send(WORKER_PEER, new Message.RunChunk(8, 100, null, Message.CallShape.ONE_ARGUMENT, 0, garbage));
        wire.send(WORKER_PEER, chunk(9, 100, null, List.of(4)));
        wire.send(WORKER_PEER, chunk(10, 101, null, List.of(5))); // a later chunk of the undecodable function
        assertWholeTaskFailed(replyTo(7), "could not decode the function");
        assertWholeTaskFailed(replyTo(8), "could not decode the elements");
        assertEquals(List.of(4), values.decodeAll(replyTo(9).done().results()));
        assertWholeTaskFailed(replyTo(10), "could not decode the function"); // the same reason, every time
    }

    private static void assertWholeTaskFailed(Reply reply, String because) {
        List<Message.Failure> failures = reply.done().failures();
        assertEquals(1, failures.size(), failures.toString());
        Message.Failure f = failures.get(0);
        assertEquals(-1, f.element(), "the whole task failed: " + f);
        assertEquals(Message.FailureKind.EXCEPTION, f.kind());
        assertTrue(f.message().contains(because), f.message());
    }

    @Test
    void aWorkerSpeaksTheProtocolListensOnNoPortAndExitsWithItsKernel() throws Exception {
        Message.Hello hello = startWorker();
        assertEquals(process.pid(), hello.pid());
        assertEquals(0, hello.worker());

        // a chunk: output first, then done with a result per element
        wire.send(WORKER_PEER, chunk(1, 100, x -> {
            System.out.println("got " + x);
            return x * 10;
        }, List.of(1, 2, 3)));
        Reply first = replyTo(1);
        assertEquals("got 1\ngot 2\ngot 3\n", first.out());
        assertEquals("", first.err());
        assertEquals(List.of(), first.done().failures());
        assertEquals(List.of(10, 20, 30), values.decodeAll(first.done().results()));

        // the function is cached by id: a later chunk may omit it
        wire.send(WORKER_PEER, chunk(2, 100, null, List.of(4)));
        assertEquals(List.of(40), values.decodeAll(replyTo(2).done().results()));
        synchronized (senders) {
            assertTrue(senders.stream().allMatch(p -> p == WORKER_PEER), "senders: " + senders);
        }

        // nothing on this machine can reach the worker but its kernel: it has no listening socket
        assertEquals(Set.of(), listeningSocketsOf(process.pid()));

        // no orphan: when the kernel's end of stdin closes, the worker exits
        stdin.close();
        assertTrue(process.waitFor(5, TimeUnit.SECONDS), "the worker outlived its stdin");
        assertEquals(0, process.exitValue());
    }

    @Test
    void aWorkerHaltsWhenItsKernelHangsUp() throws Exception {
        startWorker();
        wire.disconnect(WORKER_PEER);
        assertTrue(process.waitFor(5, TimeUnit.SECONDS), "the worker outlived its connection to the kernel");
        assertEquals(0, process.exitValue());
    }

    /** The inodes of the TCP sockets in LISTEN state that the process holds. */
    private static Set<String> listeningSocketsOf(long pid) throws IOException {
        Set<String> listening = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> rows = Files.readAllLines(Path.of(table));
            for (String row : rows.subList(1, rows.size())) {
                String[] columns = row.trim().split("\\s+");
                if (columns[3].equals("0A")) { // TCP_LISTEN
                    listening.add("socket:[" + columns[9] + "]");
                }
            }
        }
        Set<String> held = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    held.add(Files.readSymbolicLink(fd).toString());
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        assertTrue(held.stream().anyMatch(f -> f.startsWith("socket:")), "the worker holds its connection: " + held);
        held.retainAll(listening);
        return held;
    }

    @Test
    void theWorkersOwnLogIsNotTaskOutputEvenWhileATaskRuns() throws Exception {
        startWorker();
        wire.send(WORKER_PEER, chunk(1, 100, x -> {
            System.out.println("before");
            LoggerFactory.getLogger("worker-side").warn("a line of the worker's own log");
            System.out.println("after");
            return x;
        }, List.of(1)));
        Reply reply = replyTo(1);
        assertEquals("before\nafter\n", reply.out());
        assertEquals("", reply.err());
        assertEquals(List.of(1), values.decodeAll(reply.done().results()));
        synchronized (untasked) {
            assertTrue(untasked.toString().contains("a line of the worker's own log"), "worker log: " + untasked);
        }
    }
}
