package org.jparallel.internal.worker;

import org.jparallel.api.SerialFunction;
import org.jparallel.internal.codec.MessageCodec;
import org.jparallel.internal.codec.ValueCodec;
import org.jparallel.internal.pool.WorkerLauncher;
import org.jparallel.internal.wire.Inbox;
import org.jparallel.internal.wire.Message;
import org.jparallel.internal.wire.Outbox;
import org.jparallel.internal.wire.Signer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * This test plays the kernel for one real worker JVM: it launches the worker with {@link WorkerLauncher},
 * receives its hello on an inbox it owns, sends it work through an outbox and through a raw socket, and
 * ends it by closing its standard input.
 */
class ScriptedKernelTest {

    private static final int WORKER_PEER = 42;
    private static final long WAIT_S = 30;

    private final byte[] secret = Signer.newSecret();
    private final MessageCodec messages = new MessageCodec();
    private final ValueCodec values = new ValueCodec(ScriptedKernelTest.class.getClassLoader());
    private final LinkedBlockingQueue<Message> fromWorker = new LinkedBlockingQueue<>();
    private final List<Integer> senders = new ArrayList<>();
    private final StringBuilder untasked = new StringBuilder();
    private ZContext context;
    private Inbox inbox;
    private Outbox outbox;
    private Process process;
    private java.io.OutputStream stdin;

    @AfterEach
    void tearDown() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        if (outbox != null) {
            outbox.close();
        }
        if (inbox != null) {
            inbox.close();
        }
        if (context != null) {
            context.close();
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
        context = new ZContext(1);
        inbox = new Inbox(secret, messages, (peer, m) -> {
            synchronized (senders) {
                senders.add(peer);
            }
            fromWorker.add(m);
        }, "kernel-inbox");
        outbox = new Outbox(WorkerMain.KERNEL_PEER, secret, messages, null, "kernel-outbox");
        WorkerLauncher.Launched launched = new WorkerLauncher(List.of())
                .launch(inbox.port(), WORKER_PEER, 0, "worker-0", secret);
        process = launched.process();
        stdin = launched.stdin();
        Message.Hello hello = assertInstanceOf(Message.Hello.class, next());
        outbox.connect(WORKER_PEER, hello.port());
        return hello;
    }

    @Test
    void aChunkThatCannotStartIsAnsweredWithAFailedDone() throws Exception {
        startWorker();
        outbox.send(WORKER_PEER, chunk(5, 999, null, List.of(1))); // function 999 was never sent
        outbox.send(WORKER_PEER, chunk(6, 100, x -> x, List.of(2)));  // a good task behind it
        assertWholeTaskFailed(replyTo(5), "999");
        Reply next = replyTo(6);
        assertEquals(List.of(), next.done().failures());
        assertEquals(List.of(2), values.decodeAll(next.done().results()));

        // bytes that do not decode, as the function and as the elements
        byte[] garbage = {1, 2, 3};
        outbox.send(WORKER_PEER, new Message.RunChunk(7, 101, garbage, Message.CallShape.ONE_ARGUMENT, 0,
                values.encodeAll(List.of(3), "element")));
        outbox.send(WORKER_PEER, new Message.RunChunk(8, 100, null, Message.CallShape.ONE_ARGUMENT, 0, garbage));
        outbox.send(WORKER_PEER, chunk(9, 100, null, List.of(4)));
        assertWholeTaskFailed(replyTo(7), "could not decode the function");
        assertWholeTaskFailed(replyTo(8), "could not decode the elements");
        assertEquals(List.of(4), values.decodeAll(replyTo(9).done().results()));
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
    void aWorkerSpeaksTheProtocolIgnoresForgeriesAndExitsWithItsKernel() throws Exception {
        Message.Hello hello = startWorker();

        // hello, with the worker's own pid and inbox port
        assertEquals(process.pid(), hello.pid());
        assertEquals(0, hello.worker());
        assertTrue(hello.port() > 0);

        // a chunk: output first, then done with a result per element
        outbox.send(WORKER_PEER, chunk(1, 100, x -> {
            System.out.println("got " + x);
            return x * 10;
        }, List.of(1, 2, 3)));
        Reply first = replyTo(1);
        assertEquals("got 1\ngot 2\ngot 3\n", first.out());
        assertEquals("", first.err());
        assertEquals(List.of(), first.done().failures());
        assertEquals(List.of(10, 20, 30), values.decodeAll(first.done().results()));

        // the function is cached by id: a later chunk may omit it
        outbox.send(WORKER_PEER, chunk(2, 100, null, List.of(4)));
        assertEquals(List.of(40), values.decodeAll(replyTo(2).done().results()));

        // forgeries on a raw socket: the wrong secret, and the right secret from a peer that is not the kernel
        ZMQ.Socket raw = Outbox.connectPush(context, hello.port());
        raw.setLinger(2000);
        Signer wrong = new Signer(Signer.newSecret());
        Signer right = new Signer(secret);
        for (int i = 0; i < 100; i++) {
            right.sign(new byte[0]); // move past the sequence numbers the outbox used
        }
        assertTrue(raw.send(wrong.sign(body(WorkerMain.KERNEL_PEER, new Message.Exit())), 0));
        assertTrue(raw.send(wrong.sign(body(WorkerMain.KERNEL_PEER, chunk(98, 101, x -> "forged", List.of(0)))), 0));
        assertTrue(raw.send(new Signer(secret).sign(body(7, chunk(99, 102, x -> "not the kernel", List.of(0)))), 0));
        // then a genuine message on the same socket, so it arrives after the forgeries
        assertTrue(raw.send(right.sign(body(WorkerMain.KERNEL_PEER, chunk(3, 103, x -> x + 1, List.of(5)))), 0));
        Reply third = replyTo(3);
        assertEquals(List.of(6), values.decodeAll(third.done().results()));
        assertTrue(process.isAlive(), "the forged exit was obeyed");
        raw.close();
        synchronized (senders) {
            assertTrue(senders.stream().allMatch(p -> p == WORKER_PEER), "senders: " + senders);
        }
        assertEquals(0, inbox.refusedCount());
        synchronized (untasked) {
            // the worker logs its refusals on its stderr, which it forwards as output of no task
            assertTrue(untasked.toString().contains("refused"), "worker log: " + untasked);
        }

        // no orphan: when the kernel's end of stdin closes, the worker exits
        stdin.close();
        assertTrue(process.waitFor(5, TimeUnit.SECONDS), "the worker outlived its stdin");
        assertEquals(0, process.exitValue());
    }

    @Test
    void theWorkersOwnLogIsNotTaskOutputEvenWhileATaskRuns(@TempDir Path dir) throws Exception {
        Message.Hello hello = startWorker();
        String gate = dir.resolve("gate").toString();
        outbox.send(WORKER_PEER, chunk(1, 100, x -> {
            System.out.println("before");
            while (!Files.exists(Path.of(gate))) {
                pause();
            }
            System.out.println("after");
            return x;
        }, List.of(1)));
        Message.Output before = assertInstanceOf(Message.Output.class, next());
        assertEquals(new Message.Output(1, false, "before\n"), before);

        // the task is running: a forged frame makes the worker log a refusal meanwhile
        ZMQ.Socket raw = Outbox.connectPush(context, hello.port());
        raw.setLinger(2000);
        assertTrue(raw.send(new Signer(Signer.newSecret()).sign(body(WorkerMain.KERNEL_PEER, new Message.Exit())), 0));
        Message.Output log = assertInstanceOf(Message.Output.class, next());
        assertTrue(log.text().contains("refused"), "the worker's log line: " + log);
        assertEquals(0, log.task(), "the worker's own log is not output of the task that runs: " + log);

        Files.writeString(Path.of(gate), "open");
        Reply reply = replyTo(1);
        assertEquals("after\n", reply.out());
        assertEquals("", reply.err());
        assertEquals(List.of(1), values.decodeAll(reply.done().results()));
        raw.close();
    }

    /** For code that runs on the worker: a short wait while polling a condition. */
    static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private byte[] body(int peer, Message m) {
        byte[] message = messages.encode(m);
        return ByteBuffer.allocate(Integer.BYTES + message.length).putInt(peer).put(message).array();
    }
}
