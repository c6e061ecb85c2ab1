package org.jparallel.internal.process;

import org.jparallel.api.NotSendableException;
import org.jparallel.api.SerialRunnable;
import org.jparallel.api.TaskFailure;
import org.jparallel.internal.code.CodeSource;
import org.jparallel.internal.code.JarShipping;
import org.jparallel.internal.codec.ValueCodec;
import org.jparallel.internal.launch.OutputPump;
import org.jparallel.internal.launch.TaskFailures;
import org.jparallel.internal.launch.WorkerLauncher;
import org.jparallel.internal.launch.WorkerOutputPrinter;
import org.jparallel.internal.wire.Message;
import org.jparallel.internal.wire.MessageCodec;
import org.jparallel.internal.wire.PeerAuthentication;
import org.jparallel.internal.wire.WireServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One stand-alone worker JVM running one target: the machinery behind {@code WorkerProcess}.
 *
 * <p>It owns the process, its standard input (kept open: end of file makes the worker halt), its two
 * output pipes, and a wire with a secret of its own. When the worker says hello it is
 * sent the notebook's code, the notebook variables the target reads and the target, as one
 * no-argument task; when the task is done it is told to exit with status 0 (the target returned) or 1
 * (it threw). A watcher thread waits for the process to end however it ends, lets its output drain,
 * records the exit code and releases the pipes and sockets; other methods read that record or signal
 * the process. Its threads belong to a thread group of jparallel's own ({@link OwnThreads}), so that
 * interrupting the notebook cell that started it reaches none of them. Thread-safe: state is guarded
 * by this object's monitor, which {@link #join} waits on.
 */
public final class RealWorkerProcess {

    private static final int PEER = 1;
    private static final long TASK = 1;
    /** How long output may keep arriving after the process ended (only a process it started can hold the pipes). */
    private static final long OUTPUT_GRACE_MS = 2000;
    /** How long a kernel that shuts down gives its processes after SIGTERM, before SIGKILL. */
    private static final long SHUTDOWN_GRACE_MS = 2000;
    /** Every process started in this JVM and not ended yet. */
    private static final Set<RealWorkerProcess> LIVE = ConcurrentHashMap.newKeySet();

    /** How to start a process: its name, whether it is a daemon, and extra JVM options. */
    public record Options(String name, boolean daemon, List<String> jvmOptions) {
        public Options {
            jvmOptions = List.copyOf(jvmOptions);
        }
    }

    private final Options options;
    private final CodeSource code;
    private final WorkerOutputPrinter printer;
    private final byte[] target;
    private final byte[] noElement;
    private final List<Message.Variable> variables;
    private final Message.DefineCode definitions;
    private final WireServer wire;

    // guarded by this
    private Process process;
    private OutputStream stdin;
    private TaskFailure failure;
    private Integer exitCode;
    private boolean closed;

    private RealWorkerProcess(Options options, CodeSource code, WorkerOutputPrinter printer, byte[] target,
                              byte[] noElement, List<Message.Variable> variables, byte[] secret) {
        this.options = options;
        this.code = code;
        this.printer = printer;
        this.target = target;
        this.noElement = noElement;
        this.variables = variables;
        this.definitions = code.codeAfter(0, 0);
        MessageCodec messages = new MessageCodec();
        try {
            this.wire = new WireServer(secret, messages, this::received, "jparallel-process-wire");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a wire on 127.0.0.1 for process " + options.name(), e);
        }
    }

    /**
     * Launches a process running {@code target}. The target and the notebook variables it reads are
     * encoded first, so one that cannot be sent fails here, before any process starts.
     *
     * @param printer where the process's output goes, labelled with its name and PID
     */
    public static RealWorkerProcess start(SerialRunnable target, Options options, CodeSource code,
                                          WorkerOutputPrinter printer) throws NotSendableException {
        ValueCodec values = new ValueCodec(code.classLoader());
        byte[] encoded = values.encode(target, "target");
        List<Message.Variable> variables = code.variablesReadBy(target, values);
        byte[] noElement = values.encodeAll(Collections.singletonList(null), "element");
        byte[] secret = PeerAuthentication.newSecret();
        return OwnThreads.build(() -> {
            RealWorkerProcess started = new RealWorkerProcess(options, code, printer, encoded, noElement, variables, secret);
            started.launch(secret);
            return started;
        });
    }

    private synchronized void launch(byte[] secret) {
        WorkerLauncher.Launched launched;
        try {
            launched = new WorkerLauncher(code.workerClasspath(), options.jvmOptions()).launch(wire.port(), PEER, -1, options.name(), secret);
        } catch (IOException e) {
            wire.close();
            throw new UncheckedIOException("cannot start process " + options.name() + ": " + e.getMessage(), e);
        }
        process = launched.process();
        stdin = launched.stdin();
        LIVE.add(this);
        List<OutputPump> pumps = List.of(
                new OutputPump(process.getInputStream(), false, options.name(), process.pid(), printer),
                new OutputPump(process.getErrorStream(), true, options.name(), process.pid(), printer));
        // a non-daemon process keeps this JVM alive as a non-daemon thread would: the watcher is one
        Process started = process;
        Thread watcher = new Thread(() -> watch(started, pumps), "jparallel-process-" + process.pid());
        watcher.setDaemon(options.daemon());
        watcher.start();
    }

    private synchronized void received(int peer, Message message) {
        if (peer != PEER || exitCode != null) {
            return;
        }
        if (message instanceof Message.Hello hello) {
            if (!definitions.classes().isEmpty() || !definitions.jars().isEmpty()) {
                wire.send(PEER, definitions);
            }
            if (!variables.isEmpty()) {
                wire.send(PEER, new Message.SetVariables(variables));
            }
            wire.send(PEER, new Message.RunChunk(TASK, TASK, target, Message.CallShape.NO_ARGUMENT, 0, noElement));
        } else if (message instanceof Message.FetchJar fetch) {
            JarShipping.answer(fetch, code, answer -> wire.send(PEER, answer));
        } else if (message instanceof Message.Done done) {
            if (!done.failures().isEmpty()) {
                failure = TaskFailures.of(done.failures().get(0), -1, process.pid(), -1, "", code);
            }
            wire.send(PEER, new Message.Exit(failure == null ? 0 : 1));
        }
    }

    private void watch(Process ended, List<OutputPump> pumps) {
        while (true) {
            try {
                ended.waitFor();
                for (OutputPump pump : pumps) {
                    pump.await(OUTPUT_GRACE_MS);
                }
                break;
            } catch (InterruptedException e) {
                // nothing interrupts this thread (it is in jparallel's own group); if something does, go on
            }
        }
        TaskFailure failed;
        synchronized (this) {
            failed = failure;
        }
        if (failed != null) {
            printer.print(options.name(), ended.pid(), true, report(failed));
        }
        synchronized (this) {
            exitCode = exitCode(ended.exitValue());
            notifyAll();
            closeQuietly(stdin);
        }
        wire.close();
        LIVE.remove(this);
    }

    private static void closeQuietly(OutputStream stream) {
        try {
            stream.close();
        } catch (IOException e) {
            // the process is gone; so is the pipe
        }
    }

    /**
     * Python's convention: -N for a process that signal N ended. Java reports such an end as 128 + N,
     * which is also the status a JVM exits with when SIGTERM, SIGINT or SIGHUP ask it to.
     */
    static int exitCode(int status) {
        return status > 128 && status < 160 ? -(status - 128) : status;
    }

    /** The exception as the JVM reports an uncaught one, with causes: {@code Exception in process "loader" …}. */
    private String report(TaskFailure failed) {
        StringBuilder s = new StringBuilder("Exception in process \"").append(options.name()).append("\" ");
        for (TaskFailure f = failed; f != null; f = f.cause()) {
            if (f != failed) {
                s.append("Caused by: ");
            }
            s.append(f.exceptionClass() != null ? f.exceptionClass() : f.kind().name());
            if (f.message() != null) {
                s.append(": ").append(f.message());
            }
            s.append('\n');
            for (String frame : f.trace()) {
                s.append("\tat ").append(frame).append('\n');
            }
        }
        return s.toString();
    }

    // ---- what WorkerProcess exposes ----

    /** Its name, as labels and {@code WorkerIdentity} show it. */
    public String name() {
        return options.name();
    }

    /** Whether it is a daemon: one whose watcher thread does not keep this JVM alive. */
    public boolean daemon() {
        return options.daemon();
    }

    /** Its operating-system process id. */
    public synchronized long pid() {
        return process.pid();
    }

    /** Whether the process has not ended yet (its output and failure are reported once it has). */
    public synchronized boolean isAlive() {
        checkOpen();
        return exitCode == null;
    }

    /** The exit code once the process has ended, else null. */
    public synchronized Integer exitCode() {
        checkOpen();
        return exitCode;
    }

    /** What the target threw, or null. */
    public synchronized TaskFailure failure() {
        checkOpen();
        return failure;
    }

    /** Waits until the process has ended. */
    public synchronized void join() throws InterruptedException {
        checkOpen();
        while (exitCode == null) {
            wait();
        }
    }

    /** Waits until the process has ended or the timeout has passed (not at all if it is not positive); true if it has ended. */
    public synchronized boolean join(long timeout, TimeUnit unit) throws InterruptedException {
        checkOpen();
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        long left;
        while (exitCode == null && (left = deadline - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return exitCode != null;
    }

    /**
     * Asks the process to stop (SIGTERM): its shutdown hooks run. Nothing happens once it has ended.
     * The signal goes through the {@link ProcessHandle}: {@link Process#destroy()} would also close the
     * pipes, so the worker would halt on end of file first and what it prints while stopping would be lost.
     */
    public synchronized void terminate() {
        checkOpen();
        if (exitCode == null) {
            process.toHandle().destroy();
        }
    }

    /** Stops the process at once (SIGKILL). Nothing happens once it has ended. */
    public synchronized void kill() {
        checkOpen();
        if (exitCode == null) {
            process.toHandle().destroyForcibly();
        }
    }

    /** Marks this process closed; fails while it runs. Its resources were released when it ended. */
    public synchronized void close() {
        if (closed) {
            return;
        }
        if (exitCode == null) {
            throw new IllegalStateException("process " + options.name() + " (pid " + process.pid()
                    + ") is still running: join it, or terminate or kill it, before closing it");
        }
        closed = true;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("process " + options.name() + " (pid " + process.pid() + ") is closed");
        }
    }

    @Override
    public synchronized String toString() {
        String state = exitCode == null ? "running" : "exit code " + exitCode;
        return "WorkerProcess[" + options.name() + ", pid " + process.pid() + ", " + state
                + (options.daemon() ? ", daemon" : "") + (closed ? ", closed" : "") + "]";
    }

    /**
     * Stops every process this JVM started that is still running, as the kernel shuts down: SIGTERM,
     * then SIGKILL for those still there after {@value #SHUTDOWN_GRACE_MS} ms.
     */
    public static void stopAll() {
        List<Process> running = new ArrayList<>();
        for (RealWorkerProcess p : LIVE) {
            synchronized (p) {
                running.add(p.process);
            }
        }
        running.forEach(p -> p.toHandle().destroy());
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SHUTDOWN_GRACE_MS);
        try {
            for (Process p : running) {
                if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    p.toHandle().destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            running.forEach(p -> p.toHandle().destroyForcibly());
            Thread.currentThread().interrupt();
        }
    }
}
