package org.jparallel.internal.worker;

import org.jparallel.api.WorkerIdentity;
import org.jparallel.internal.wire.MessageCodec;
import org.jparallel.internal.codec.ValueCodec;
import org.jparallel.internal.code.CodeSources;
import org.jparallel.internal.shm.SharedMemory;
import org.jparallel.internal.wire.Message;
import org.jparallel.internal.manager.ManagerReach;
import org.jparallel.internal.wire.TlsIdentity;
import org.jparallel.internal.wire.WireAddress;
import org.jparallel.internal.wire.WireClient;
import org.jparallel.internal.code.SnippetLoader;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A worker JVM: {@code WorkerMain <kernel-port> <peer-id>}, with the pool's secret as the first line
 * of standard input (hex); or, on another host, {@code WorkerMain <kernel-address>:<port> <peer-id> tls},
 * with the pool's TLS credentials ({@link TlsIdentity#encode}) after the secret on standard input; or, started
 * by Slurm (whose standard input is no private channel), {@code WorkerMain <kernel-address>:<port> <peer-id> tls
 * <file>}, the same secret and credentials in a file only the user can read, which the worker deletes once read.
 *
 * <p>The worker connects to the kernel's wire on 127.0.0.1, or through TLS to the address given
 * ({@link WireClient}), says
 * {@link Message.Hello} and runs tasks until told to exit: its two task threads read what the kernel
 * sends and run it ({@link TaskRunner}); its main thread watches standard input.
 * It halts at once when its connection to the kernel ends, or when standard input — which stays open
 * for the worker's whole life — reaches end of file: the kernel exited, however it exited. So no
 * worker outlives its kernel.
 *
 * <p>A pool worker sends what tasks print as {@link Message.Output}, labelled with the task, and halts
 * when told to exit. A stand-alone process (index -1, a {@code WorkerProcess}) writes straight to its
 * own standard output and error, which the process that started it reads, so nothing it prints is
 * lost, not even just before {@code System.exit}; told to exit, it exits normally (shutdown hooks
 * run) with the status the kernel gave.
 */
public final class WorkerMain {

    private WorkerMain() {
    }

    public static void main(String[] args) throws IOException {
        boolean tls = (args.length == 3 || args.length == 4) && args[2].equals("tls");
        if (args.length != 2 && !tls) {
            System.err.println("usage: WorkerMain <kernel-port> <peer-id>  (secret on stdin)\n"
                    + "       WorkerMain <kernel-address>:<port> <peer-id> tls  (secret, then TLS credentials, on stdin)\n"
                    + "       WorkerMain <kernel-address>:<port> <peer-id> tls <file>  (the same in a file, deleted once read)");
            System.exit(2);
        }
        int self = Integer.parseInt(args[1]);
        // a channel, not a stream: closing it frees a thread blocked reading it (see leave())
        FileChannel stdin = new FileInputStream(FileDescriptor.in).getChannel();
        FileChannel secrets = args.length == 4 ? credentialsFile(Path.of(args[3])) : stdin;
        String line = firstLine(secrets);
        if (line == null) {
            Runtime.getRuntime().halt(3);
        }
        byte[] secret = HexFormat.of().parseHex(line.trim());
        WireAddress kernelAddress = tls ? WireAddress.tls(address(args[0]), TlsIdentity.decode(credentials(secrets)))
                : WireAddress.loopback(Integer.parseInt(args[0]));
        if (secrets != stdin) {
            secrets.close();
        }

        boolean standAlone = WorkerIdentity.current().index() < 0;
        AtomicReference<TaskRunner> running = new AtomicReference<>();
        TaskOutput output = standAlone ? null
                : new TaskOutput(() -> running.get() == null ? 0 : running.get().currentTask());
        if (output != null) {
            WorkerLog.configure(output.workerLog());
        }
        SnippetLoader code = new SnippetLoader(WorkerMain.class.getClassLoader());
        CodeSources.useCodeOf(code);
        ValueCodec values = new ValueCodec(code.classLoader());
        if (tls) {
            // on another host: what this worker sends goes to the kernel's host, which cannot map this one's memory
            values = values.reaching("the kernel at " + kernelAddress + ", on another host,");
            ManagerReach.fromAnotherHost(kernelAddress);
        }
        WireClient kernel = WireClient.connect(kernelAddress, self, secret, new MessageCodec());
        if (!tls) {
            // the reading task threads are never interrupted (TaskRunner.run); over TLS the 200 ms wake-ups stay, so
            // that closing the socket at exit (leave) never waits for a read holding the TLS socket's locks
            kernel.waitWithoutInterruptChecks();
        }
        Reporter reporter = new Reporter(kernel, output);
        AtomicBoolean exiting = new AtomicBoolean();
        TaskRunner runner = new TaskRunner(code, values, kernel::receive, reporter::send, status -> {
            exiting.set(true);
            reporter.flush();
            leave(kernel, stdin);
            if (standAlone) {
                SharedMemory.releaseAll();
                System.exit(status);
            }
            halt(status);
        }, () -> {
            if (!exiting.get()) { // else the exit under way (shutdown hooks, then the kernel's status) ends the process
                halt(0); // the kernel closed the connection, or broke it
            }
        });
        running.set(runner);
        if (standAlone) {
            System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
        } else {
            output.install();
        }
        runner.start();
        reporter.start();
        reporter.send(new Message.Hello(WorkerIdentity.current().index(), ProcessHandle.current().pid()));

        // the kernel holds our stdin: end of file means it is gone
        ByteBuffer ignored = ByteBuffer.allocate(64);
        try {
            while (stdin.read(ignored.clear()) >= 0) {
                // nothing else is ever written
            }
        } catch (IOException e) {
            // the pipe broke (the kernel is gone as well), or leave() closed it
        }
        if (!exiting.get()) {
            halt(0);
        }
    }

    /** {@code host:port}; the host is an IP address (an IPv6 one in brackets) or a name. */
    private static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        String host = hostPort.substring(0, colon).replaceAll("^\\[|]$", "");
        return new InetSocketAddress(host, Integer.parseInt(hostPort.substring(colon + 1)));
    }

    /**
     * The credentials file, opened and deleted at once: what was read is in this process alone. A file that
     * cannot be opened ends the worker with a message naming it (on its standard error, which the kernel reads).
     */
    private static FileChannel credentialsFile(Path file) {
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            Files.delete(file);
            return channel;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the pool's credentials from " + file + ": " + e, e);
        }
    }

    /** The PEM blocks after the secret on standard input, up to the private key's end; halts at end of file. */
    private static byte[] credentials(FileChannel stdin) throws IOException {
        StringBuilder pem = new StringBuilder();
        String line;
        do {
            line = firstLine(stdin);
            if (line == null) {
                Runtime.getRuntime().halt(3);
            }
            pem.append(line).append('\n');
        } while (!line.trim().equals("-----END PRIVATE KEY-----"));
        return pem.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** The first line of standard input, read a byte at a time so nothing after it is consumed; null at end of file. */
    private static String firstLine(FileChannel stdin) throws IOException {
        StringBuilder line = new StringBuilder();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (true) {
            if (stdin.read(one.clear()) < 0) {
                return line.length() == 0 ? null : line.toString();
            }
            char c = (char) (one.get(0) & 0xFF);
            if (c == '\n') {
                return line.toString();
            }
            line.append(c);
        }
    }

    /**
     * Frees the threads blocked reading the kernel's connection and standard input before the process ends:
     * the JVM's exit waits (up to 300 ms) for every thread still inside a system call.
     */
    private static void leave(WireClient kernel, FileChannel stdin) {
        kernel.close();
        try {
            stdin.close();
        } catch (IOException e) {
            // already gone
        }
    }

    /**
     * Ends the process now, releasing this process's shared memory first (halt runs no shutdown hooks).
     * One thread at a time: when the kernel's exit message and the end of standard input arrive together,
     * the second caller must not halt the process while the first is still deleting segments.
     */
    private static synchronized void halt(int status) {
        SharedMemory.releaseAll();
        Runtime.getRuntime().halt(status);
    }
}
