package org.jparallel.internal.worker;

import org.jparallel.api.WorkerIdentity;
import org.jparallel.internal.codec.MessageCodec;
import org.jparallel.internal.codec.ValueCodec;
import org.jparallel.internal.shm.SharedMemory;
import org.jparallel.internal.wire.Inbox;
import org.jparallel.internal.wire.Message;
import org.jparallel.internal.wire.Outbox;
import org.jparallel.kernel.eval.SnippetLoader;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * A worker JVM: {@code WorkerMain <kernel-port> <peer-id>}, with the pool's secret as the first line
 * of standard input (hex).
 *
 * <p>The worker binds its inbox on 127.0.0.1, connects to the kernel's inbox, says {@link Message.Hello}
 * and runs tasks until told to exit. Standard input stays open for the worker's whole life: when it
 * reaches end of file — the kernel exited, however it exited — the worker halts at once, so no worker
 * outlives its kernel.
 */
public final class WorkerMain {

    /** The peer id of the kernel. */
    public static final int KERNEL_PEER = 0;

    private WorkerMain() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: WorkerMain <kernel-port> <peer-id>  (secret on stdin)");
            System.exit(2);
        }
        int kernelPort = Integer.parseInt(args[0]);
        int self = Integer.parseInt(args[1]);
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        String line = stdin.readLine();
        if (line == null) {
            Runtime.getRuntime().halt(3);
        }
        byte[] secret = HexFormat.of().parseHex(line.trim());

        SnippetLoader code = new SnippetLoader(WorkerMain.class.getClassLoader());
        ValueCodec values = new ValueCodec(code.classLoader());
        MessageCodec messages = new MessageCodec();

        TaskRunner[] runner = new TaskRunner[1];
        TaskOutput output = new TaskOutput(() -> runner[0] == null ? 0 : runner[0].currentTask());
        Outbox outbox = new Outbox(self, secret, messages,
                box -> output.drain().forEach(m -> box.sendNow(KERNEL_PEER, m)), "jparallel-outbox");
        runner[0] = new TaskRunner(code, values, output, m -> outbox.send(KERNEL_PEER, m), () -> {
            outbox.close();
            SharedMemory.releaseAll(); // halt runs no shutdown hooks
            Runtime.getRuntime().halt(0);
        });
        Inbox inbox = new Inbox(secret, messages, (peer, message) -> {
            if (peer != KERNEL_PEER) {
                return;
            }
            if (message instanceof Message.Cancel cancel) {
                runner[0].cancel(cancel.task());
            } else {
                runner[0].submit(message);
            }
        }, "jparallel-inbox");
        output.install();
        runner[0].start();
        outbox.connect(KERNEL_PEER, kernelPort);
        outbox.send(KERNEL_PEER, new Message.Hello(WorkerIdentity.current().index(),
                ProcessHandle.current().pid(), inbox.port()));

        // the kernel holds our stdin: end of file means it is gone
        while (stdin.read() >= 0) {
            // nothing else is ever written
        }
        SharedMemory.releaseAll(); // halt runs no shutdown hooks
        Runtime.getRuntime().halt(0);
    }
}
