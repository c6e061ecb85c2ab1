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
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
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
 *
 * <p>A pool worker sends what tasks print as {@link Message.Output}, labelled with the task, and halts
 * when told to exit. A stand-alone process (index -1, a {@code WorkerProcess}) writes straight to its
 * own standard output and error, which the process that started it reads, so nothing it prints is
 * lost, not even just before {@code System.exit}; told to exit, it exits normally (shutdown hooks
 * run) with the status the kernel gave.
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

        boolean standAlone = WorkerIdentity.current().index() < 0;
        TaskRunner[] runner = new TaskRunner[1];
        TaskOutput output = new TaskOutput(() -> runner[0] == null ? 0 : runner[0].currentTask());
        if (!standAlone) {
            WorkerLog.configure(output.workerLog());
        }

        SnippetLoader code = new SnippetLoader(WorkerMain.class.getClassLoader());
        ValueCodec values = new ValueCodec(code.classLoader());
        MessageCodec messages = new MessageCodec();
        Outbox outbox = new Outbox(self, secret, messages,
                box -> output.drain().forEach(m -> box.sendNow(KERNEL_PEER, m)), "jparallel-outbox");
        runner[0] = new TaskRunner(code, values, output, m -> outbox.send(KERNEL_PEER, m), status -> {
            outbox.close();
            SharedMemory.releaseAll(); // halt runs no shutdown hooks
            if (standAlone) {
                System.exit(status);
            }
            Runtime.getRuntime().halt(status);
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
        if (standAlone) {
            System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
        } else {
            output.install();
        }
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
