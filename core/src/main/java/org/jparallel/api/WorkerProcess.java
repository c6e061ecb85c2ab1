package org.jparallel.api;

import org.jparallel.internal.code.CodeSources;
import org.jparallel.internal.launch.WorkerOutputPrinter;
import org.jparallel.internal.process.RealWorkerProcess;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A worker JVM of its own that runs one task (Python's {@code multiprocessing.Process}): for a few
 * long-lived, distinct jobs. For many small tasks use a {@link WorkerPool}.
 *
 * <pre>{@code
 * WorkerProcess p = WorkerProcess.start(() -> crunch(42));
 * WorkerProcess q = WorkerProcess.builder(() -> load(files)).name("loader").jvmOption("-Xmx1g").start();
 * p.join();
 * p.exitCode();                          // OptionalInt[0]
 * q.join(Duration.ofSeconds(5));         // false: still loading
 * q.terminate();
 * }</pre>
 *
 * <p><b>The target</b> is a {@link SerialRunnable}: a lambda or method reference that may call
 * anything the notebook declared. The values it captures and the notebook variables it reads are sent
 * with it, by value, as they are when the process starts. If one of them cannot be sent,
 * {@link #start} throws {@link NotSendableException} and no process starts. Inside the target,
 * {@link WorkerIdentity#current()} reports the process's name, its PID and index -1.
 *
 * <p><b>Life.</b> {@code start} launches the JVM and returns at once; the target runs as soon as the
 * JVM is up. The process ends when the target returns or throws, calls {@code System.exit}, or is
 * stopped. Its exit code follows Python's:
 * <table>
 * <caption>Exit codes</caption>
 * <tr><th>the process …</th><th>{@link #exitCode()}</th></tr>
 * <tr><td>is still running</td><td>empty</td></tr>
 * <tr><td>returned from its target</td><td>0</td></tr>
 * <tr><td>threw from its target ({@link #failure()} has the exception)</td><td>1</td></tr>
 * <tr><td>called {@code System.exit(n)} or {@code Runtime.halt(n)}</td><td>n</td></tr>
 * <tr><td>was ended by signal N: {@link #terminate()} (15), {@link #kill()} (9), the kernel's
 * shutdown, the operating system</td><td>-N: -15, -9</td></tr>
 * </table>
 * Java reports a process that signal N ended as exit status 128 + N, and a JVM asked to stop by
 * SIGTERM, SIGINT or SIGHUP exits with that status too, so a status from 129 to 159 reads as -1 to -31
 * even when the code itself called {@code System.exit(130)}. The process exits normally (shutdown
 * hooks run) after its target; threads the target started end with it, so join them in the target if
 * their work matters.
 *
 * <p><b>Output.</b> What the process prints to {@code System.out} and {@code System.err} appears on
 * this JVM's {@code System.out} and {@code System.err} as it is printed — in a notebook, in the cell
 * that is running at the time — under a label {@code [loader · pid 4242]}. If the target throws, the
 * exception and its stack trace are printed on {@code System.err} the same way, and {@link #failure()}
 * keeps them. Once {@link #join()} returns, everything the process printed has been printed here.
 *
 * <p><b>Daemon.</b> Like a thread, a process is a daemon or not (the default). A non-daemon process
 * keeps this JVM alive while it runs, as a non-daemon thread does: a plain Java program whose
 * {@code main} returns waits for it. A daemon process does not. Either way, no process outlives the
 * JVM that started it: when that JVM exits — {@code System.exit}, a crash, SIGKILL — its processes end
 * within moments (their standard input reaches end of file and they halt). A kernel never waits for
 * its processes: when it shuts down or restarts, every process still running is terminated (SIGTERM,
 * then SIGKILL after 2 s), daemon or not, where Python would wait for non-daemon ones.
 *
 * <p><b>Closing.</b> The process's sockets, pipes and threads are released as soon as it ends, so a
 * process that was never closed leaks nothing. {@link #close()}, as in Python, marks this object
 * done: it fails with {@link IllegalStateException} while the process is still running, and afterwards
 * every method but {@link #name()}, {@link #pid()}, {@link #isDaemon()} and {@link #toString()} fails
 * the same way. It may be used with try-with-resources, around code that joins the process.
 *
 * <p>Thread-safe.
 */
public final class WorkerProcess implements AutoCloseable {

    /** One printer for every process, so output from several of them is labelled each time the writer changes. */
    private static final WorkerOutputPrinter OUTPUT = new WorkerOutputPrinter(CodeSources::currentCell);
    private static final AtomicInteger UNNAMED = new AtomicInteger();

    private final RealWorkerProcess real;

    private WorkerProcess(RealWorkerProcess real) {
        this.real = real;
    }

    /** Starts a non-daemon process named {@code process-1}, {@code process-2} … that runs {@code target}. */
    public static WorkerProcess start(SerialRunnable target) {
        return builder(target).start();
    }

    /** Options beyond the target: a name, daemon, JVM options. */
    public static Builder builder(SerialRunnable target) {
        return new Builder(target);
    }

    /** Builds and starts a {@link WorkerProcess}. Not thread-safe; each {@link #start()} starts another process. */
    public static final class Builder {
        private final SerialRunnable target;
        private String name;
        private boolean daemon;
        private final List<String> jvmOptions = new ArrayList<>();

        private Builder(SerialRunnable target) {
            this.target = Objects.requireNonNull(target, "a process needs a target");
        }

        /**
         * Its name, as labels and {@link WorkerIdentity#current()} show it (default {@code process-N},
         * counting processes started without a name in this JVM).
         */
        public Builder name(String name) {
            if (name == null || name.isBlank() || name.equals("main")) {
                throw new IllegalArgumentException("a process needs a name that is not blank and not \"main\", not "
                        + (name == null ? "null" : "\"" + name + "\""));
            }
            this.name = name;
            return this;
        }

        /** Whether it is a daemon: one that does not keep this JVM alive (default false; see {@link WorkerProcess}). */
        public Builder daemon(boolean daemon) {
            this.daemon = daemon;
            return this;
        }

        /** An extra option for the process's JVM, such as {@code -Xmx1g}. */
        public Builder jvmOption(String option) {
            jvmOptions.add(Objects.requireNonNull(option, "option"));
            return this;
        }

        /**
         * Launches the process and returns at once.
         *
         * @throws NotSendableException if the target, a value it captures or a notebook variable it
         *                              reads cannot be sent; then no process was started
         */
        public WorkerProcess start() {
            String named = name != null ? name : "process-" + UNNAMED.incrementAndGet();
            return new WorkerProcess(RealWorkerProcess.start(target,
                    new RealWorkerProcess.Options(named, daemon, jvmOptions), CodeSources.current(), OUTPUT));
        }
    }

    /** Its name. */
    public String name() {
        return real.name();
    }

    /** Its operating-system process id (Python's {@code pid}); it stays readable after the process ends. */
    public long pid() {
        return real.pid();
    }

    /** Whether it is a daemon. */
    public boolean isDaemon() {
        return real.daemon();
    }

    /**
     * Whether it is still running. False once the process has ended and its output and failure have
     * been reported, the moment {@link #join()} returns.
     */
    public boolean isAlive() {
        return real.isAlive();
    }

    /**
     * Waits until the process has ended. An interrupt (in a notebook: interrupting the cell) stops the
     * waiting, not the process.
     */
    public void join() throws InterruptedException {
        real.join();
    }

    /**
     * Waits until the process has ended, at most {@code timeout} (not at all if it is zero or negative).
     *
     * @return true if it has ended, false if it is still running
     */
    public boolean join(Duration timeout) throws InterruptedException {
        return real.join(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Its exit code, empty while it runs: 0, 1, n after {@code System.exit(n)}, -N after signal N (see {@link WorkerProcess}). */
    public OptionalInt exitCode() {
        Integer code = real.exitCode();
        return code == null ? OptionalInt.empty() : OptionalInt.of(code);
    }

    /**
     * What the target threw: exception class, message, stack trace (in a notebook, the notebook's
     * frames, such as {@code crunch (cell[4] line 2)}) and causes. Empty while it runs, or if it did not
     * throw; {@link TaskFailure#worker()} is -1 and {@link TaskFailure#pid()} is the process's PID.
     */
    public Optional<TaskFailure> failure() {
        return Optional.ofNullable(real.failure());
    }

    /**
     * Asks the process to stop, as Python's {@code terminate()}: SIGTERM, so its shutdown hooks run; it
     * then exits with code -15. Does nothing if it has already ended. Does not wait: {@link #join()}.
     */
    public void terminate() {
        real.terminate();
    }

    /** Stops the process at once, as Python's {@code kill()}: SIGKILL, exit code -9. Does nothing if it has ended. */
    public void kill() {
        real.kill();
    }

    /**
     * Marks this object closed (Python's {@code close()}); closing again does nothing.
     *
     * @throws IllegalStateException if the process is still running
     */
    @Override
    public void close() {
        real.close();
    }

    /** Such as {@code WorkerProcess[loader, pid 4242, running]} or {@code WorkerProcess[loader, pid 4242, exit code 0]}. */
    @Override
    public String toString() {
        return real.toString();
    }
}
