package org.jparallel.api;

import org.jparallel.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link WorkerProcess} with real JVMs: exit codes for every way a process ends, join with and without
 * a timeout, the PID of a live process, output while it runs, close, values that cannot be sent, JVM
 * options, daemon and non-daemon processes in a JVM of their own. After each test every process it
 * started is gone. Nothing sleeps to synchronize: a test waits for the output a process prints.
 */
class WorkerProcessIT {

    private static final Duration END = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final List<WorkerProcess> started = new ArrayList<>();
    private PrintStream realOut;
    private PrintStream realErr;
    private Captured out;
    private Captured err;

    // ---- helpers ----

    /** What this JVM prints to one of its system streams (where process output goes), also passed on. */
    private static final class Captured extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final PrintStream passOn;

        Captured(PrintStream passOn) {
            this.passOn = passOn;
        }

        @Override
        public synchronized void write(int b) {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
            passOn.write(b, off, len);
            notifyAll();
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        /** Waits until {@code expected} has been printed. */
        synchronized void await(String expected) throws InterruptedException {
            long deadline = System.nanoTime() + END.toNanos();
            while (!text().contains(expected)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    fail("not printed within " + END.toSeconds() + " s: " + expected + "\nprinted: " + text());
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }

    @BeforeEach
    void capture() {
        realOut = System.out;
        realErr = System.err;
        out = new Captured(realOut);
        err = new Captured(realErr);
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** Every process a test started must have ended and be gone; one that is not is killed, and the test fails. */
    @AfterEach
    void noProcessLeftBehind() throws InterruptedException {
        System.setOut(realOut);
        System.setErr(realErr);
        List<Long> left = new ArrayList<>();
        for (WorkerProcess p : started) {
            if (!gone(p.pid())) {
                left.add(p.pid());
                ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        for (long pid : left) {
            awaitGone(pid);
        }
        assertEquals(List.of(), left, "processes left running by the test (now killed)");
    }

    private WorkerProcess track(WorkerProcess p) {
        started.add(p);
        return p;
    }

    /** Joins with a deadline, so that a process that never ends fails the test instead of hanging it. */
    private static void end(WorkerProcess p) throws InterruptedException {
        assertTrue(p.join(END), p + " did not end within " + END.toSeconds() + " s");
    }

    /** A zombie counts as gone: it has ended and only waits for its parent (or init) to reap it. */
    private static boolean gone(long pid) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return true;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return true;
        }
    }

    /** For a process that is not our child (its end is not an event here): polls, with a deadline. */
    private static void awaitGone(long pid) {
        Await.until("pid " + pid + " to be gone", Duration.ofSeconds(10), () -> gone(pid));
    }

    private static Set<Long> children() {
        return ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    /** For targets: prints a line, then blocks until the process is stopped. */
    static void printThenBlock(String line) throws InterruptedException {
        System.out.println(line);
        new CountDownLatch(1).await();
    }

    /** For targets: throws an exception with a cause. */
    static void explode() {
        throw new IllegalStateException("boom", new ArithmeticException("/ by zero"));
    }

    // ---- exit codes ----

    @Test
    void aTargetThatReturnsExitsWithZero() throws Exception {
        WorkerProcess p = track(WorkerProcess.start(() -> System.out.println("ran")));
        assertTimeoutPreemptively(END, () -> p.join());
        assertEquals(OptionalInt.of(0), p.exitCode());
        assertTrue(p.failure().isEmpty());
        assertFalse(p.isAlive());
        assertTrue(gone(p.pid()), "pid " + p.pid() + " is still there after join");
        assertTrue(out.text().contains("[" + p.name() + " · pid " + p.pid() + "]\nran\n"), out.text());
        assertTrue(p.name().matches("process-\\d+"), p.name());
        assertFalse(p.isDaemon());
    }

    /** The exit status the kernel gives holds even while a shutdown hook is still working (the connection stays open). */
    @Test
    void aTargetThatThrowsExitsWithOneEvenAfterSlowShutdownHooks() throws Exception {
        String gate = dir.resolve("hook-may-finish").toString();
        WorkerProcess p = track(WorkerProcess.builder(() -> {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                System.out.println("hook started");
                awaitFile(gate);
                System.out.println("hook done");
            }));
            throw new IllegalStateException("after registering a hook");
        }).name("slow-hook").start());
        out.await("hook started");
        assertTrue(p.isAlive(), "the process ended while its shutdown hook was still running");
        Files.writeString(Path.of(gate), "go");
        end(p);
        assertEquals(OptionalInt.of(1), p.exitCode());
        assertTrue(out.text().contains("hook done"), out.text());
    }

    /** For targets: waits until a file exists, polling with a deadline. */
    static void awaitFile(String path) {
        long deadline = System.nanoTime() + END.toNanos();
        while (!Files.exists(Path.of(path)) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10); // polling interval, not synchronization: the file decides
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Test
    void aTargetThatThrowsExitsWithOneAndReportsTheException() throws Exception {
        WorkerProcess p = track(WorkerProcess.builder(WorkerProcessIT::explode).name("thrower").start());
        end(p);
        assertEquals(OptionalInt.of(1), p.exitCode());
        TaskFailure f = p.failure().orElseThrow();
        assertEquals(TaskFailure.Kind.EXCEPTION, f.kind());
        assertEquals(IllegalStateException.class.getName(), f.exceptionClass());
        assertEquals("boom", f.message());
        assertEquals(-1, f.worker());
        assertEquals(p.pid(), f.pid());
        assertTrue(f.trace().get(0).startsWith("org.jparallel.api.WorkerProcessIT.explode(WorkerProcessIT.java:"),
                f.trace().toString());
        assertNotNull(f.cause());
        assertEquals(ArithmeticException.class.getName(), f.cause().exceptionClass());
        assertEquals("pid " + p.pid() + ": java.lang.IllegalStateException: boom", f.summary());
        String printed = err.text();
        assertTrue(printed.contains("[thrower · pid " + p.pid() + "]\n"
                + "Exception in process \"thrower\" java.lang.IllegalStateException: boom\n"
                + "\tat org.jparallel.api.WorkerProcessIT.explode(WorkerProcessIT.java:"), printed);
        assertTrue(printed.contains("Caused by: java.lang.ArithmeticException: / by zero\n"), printed);
    }

    @Test
    void systemExitSetsTheExitCodeAndWhatWasPrintedBeforeIsKept() throws Exception {
        WorkerProcess p = track(WorkerProcess.start(() -> {
            System.out.print("last words");
            System.exit(3);
        }));
        end(p);
        assertEquals(OptionalInt.of(3), p.exitCode());
        assertTrue(p.failure().isEmpty());
        assertTrue(out.text().contains("]\nlast words"), out.text());
    }

    @Test
    void terminateSendsSigtermSoHooksRunAndExitCodeIsMinus15() throws Exception {
        WorkerProcess p = track(WorkerProcess.builder(() -> {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("hook ran")));
            printThenBlock("blocking");
        }).name("victim").start());
        out.await("blocking\n");
        assertTrue(p.isAlive());
        assertEquals(OptionalInt.empty(), p.exitCode());
        p.terminate();
        end(p);
        assertEquals(OptionalInt.of(-15), p.exitCode());
        assertTrue(p.failure().isEmpty());
        assertTrue(out.text().contains("blocking\nhook ran\n"), out.text());
        p.terminate(); // after the end: nothing happens
        p.kill();
        assertEquals(OptionalInt.of(-15), p.exitCode());
    }

    @Test
    void killSendsSigkillAndExitCodeIsMinus9() throws Exception {
        WorkerProcess p = track(WorkerProcess.start(() -> {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("hook ran")));
            printThenBlock("blocking");
        }));
        out.await("blocking\n");
        p.kill();
        end(p);
        assertEquals(OptionalInt.of(-9), p.exitCode());
        assertFalse(out.text().contains("hook ran"), out.text());
    }

    // ---- join, isAlive, pid, output ----

    @Test
    void joinWithATimeoutReturnsFalseWhileTheProcessRuns() throws Exception {
        WorkerProcess p = track(WorkerProcess.start(() -> printThenBlock("blocking")));
        out.await("blocking\n");
        long before = System.nanoTime();
        assertFalse(p.join(Duration.ofMillis(200)));
        assertTrue(System.nanoTime() - before >= Duration.ofMillis(200).toNanos());
        assertFalse(p.join(Duration.ZERO));
        assertFalse(p.join(Duration.ofSeconds(-1)));
        assertTrue(p.isAlive());
        assertEquals(OptionalInt.empty(), p.exitCode());
        p.kill();
        assertTrue(p.join(END));
        assertTrue(p.join(Duration.ZERO));
        assertFalse(p.isAlive());
    }

    @Test
    void thePidIsALiveChildJvmThatReportsItsIdentityAndIsGoneAfterwards() throws Exception {
        WorkerProcess p = track(WorkerProcess.builder(() -> {
            System.err.println("to stderr: héllo ✓");
            printThenBlock("identity " + WorkerIdentity.current());
        }).name("ident").daemon(true).start());
        String label = "[ident · pid " + p.pid() + "]\n";
        out.await(label + "identity " + new WorkerIdentity(-1, "ident", p.pid()) + "\n");
        err.await(label + "to stderr: héllo ✓\n");
        ProcessHandle handle = ProcessHandle.of(p.pid()).orElseThrow();
        assertTrue(handle.isAlive());
        assertEquals(Optional.of(ProcessHandle.current()), handle.parent());
        assertTrue(handle.info().command().orElse("").endsWith("java"), handle.info().toString());
        assertTrue(p.isDaemon());
        assertTrue(p.toString().matches("WorkerProcess\\[ident, pid \\d+, running, daemon]"), p.toString());
        p.kill();
        end(p);
        assertTrue(gone(p.pid()));
        assertTrue(p.toString().matches("WorkerProcess\\[ident, pid \\d+, exit code -9, daemon]"), p.toString());
    }

    @Test
    void notebookLikeStateTravelsByValue() throws Exception {
        int[] numbers = {1, 2, 3};
        String prefix = "sum ";
        WorkerProcess p = track(WorkerProcess.start(() -> {
            numbers[0] = 100; // the process's own copy
            System.out.println(prefix + (numbers[0] + numbers[1] + numbers[2]));
        }));
        end(p);
        assertEquals(OptionalInt.of(0), p.exitCode());
        assertTrue(out.text().contains("]\nsum 105\n"), out.text());
        assertEquals(1, numbers[0]);
    }

    @Test
    void interruptingTheThreadsOfTheStarterDoesNotReachTheProcesssThreads() throws Exception {
        // in a notebook, interrupting a cell interrupts every thread of its thread group
        Path fifo = fifo(dir);
        String path = fifo.toString();
        ThreadGroup cell = new ThreadGroup("cell");
        WorkerProcess[] holder = new WorkerProcess[1];
        Thread starter = new Thread(cell, () -> holder[0] = track(WorkerProcess.start(() -> {
            System.out.println("waiting");
            Files.readAllBytes(Path.of(path));
        })), "starter");
        starter.start();
        starter.join();
        WorkerProcess p = holder[0];
        cell.interrupt();
        out.await("waiting\n");
        Files.writeString(fifo, "go");
        end(p);
        assertEquals(OptionalInt.of(0), p.exitCode());
    }

    // ---- close ----

    @Test
    void closeFailsWhileRunningAndAfterwardsTheProcessIsClosed() throws Exception {
        WorkerProcess p = track(WorkerProcess.start(() -> printThenBlock("blocking")));
        out.await("blocking\n");
        IllegalStateException running = assertThrows(IllegalStateException.class, p::close);
        assertTrue(running.getMessage().contains("still running"), running.getMessage());
        assertTrue(p.isAlive());
        p.kill();
        end(p);
        p.close();
        p.close(); // again: nothing happens
        assertThrows(IllegalStateException.class, p::isAlive);
        assertThrows(IllegalStateException.class, p::exitCode);
        assertThrows(IllegalStateException.class, p::failure);
        assertThrows(IllegalStateException.class, p::join);
        assertThrows(IllegalStateException.class, () -> p.join(Duration.ZERO));
        assertThrows(IllegalStateException.class, p::terminate);
        assertThrows(IllegalStateException.class, p::kill);
        assertTrue(p.pid() > 0);
        assertTrue(p.name().startsWith("process-"));
        assertTrue(p.toString().endsWith(", closed]"), p.toString());
    }

    @Test
    void tryWithResourcesClosesAJoinedProcess() throws Exception {
        WorkerProcess kept;
        try (WorkerProcess p = track(WorkerProcess.start(() -> { }))) {
            kept = p;
            end(p);
            assertEquals(OptionalInt.of(0), p.exitCode());
        }
        assertThrows(IllegalStateException.class, kept::exitCode);
    }

    // ---- what cannot start ----

    @Test
    void aCapturedValueThatCannotBeSentFailsAtStartBeforeAnyProcess() {
        PrintStream log = System.out;
        Set<Long> before = children();
        NotSendableException e = assertThrows(NotSendableException.class,
                () -> track(WorkerProcess.start(() -> log.println("never"))));
        assertEquals("target", e.name());
        assertEquals("target.<captured 1>", e.path());
        assertEquals(PrintStream.class.getName(), e.offendingClass());
        assertEquals(before, children());
        assertTrue(started.isEmpty());
    }

    @Test
    void badNamesAreRefused() {
        SerialRunnable nothing = () -> { };
        assertThrows(IllegalArgumentException.class, () -> WorkerProcess.builder(nothing).name(" "));
        assertThrows(IllegalArgumentException.class, () -> WorkerProcess.builder(nothing).name("main"));
        assertThrows(NullPointerException.class, () -> WorkerProcess.builder(null));
    }

    @Test
    void jvmOptionsReachTheProcess() throws Exception {
        WorkerProcess p = track(WorkerProcess.builder(() -> System.exit(Integer.getInteger("jp.test.code")))
                .jvmOption("-Djp.test.code=42").start());
        end(p);
        assertEquals(OptionalInt.of(42), p.exitCode());
    }

    @Test
    void aJvmThatCannotStartExitsWithOneAndSaysWhy() throws Exception {
        WorkerProcess p = track(WorkerProcess.builder(() -> { }).name("broken").jvmOption("-Xmx1z").start());
        end(p);
        assertEquals(OptionalInt.of(1), p.exitCode());
        assertTrue(p.failure().isEmpty());
        assertTrue(err.text().contains("[broken · pid " + p.pid() + "]\n"), err.text());
        assertTrue(err.text().contains("-Xmx1z"), err.text());
    }

    // ---- daemon: what happens when the JVM that started a process exits ----

    /** A JVM that starts a process waiting on a FIFO, prints its pid, and returns from main. */
    public static final class Starter {
        public static void main(String[] args) {
            boolean daemon = Boolean.parseBoolean(args[0]);
            String fifo = args[1]; // a String: a Path cannot be sent
            WorkerProcess p = WorkerProcess.builder(() -> Files.readAllBytes(Path.of(fifo))).daemon(daemon).start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("at exit: " + p)));
            System.out.println("pid " + p.pid());
        }
    }

    private record Ran(long processPid, List<String> lines, int exitValue) {
    }

    /** Runs {@link Starter}; {@code whileRunning} gets the process's pid once main has returned. */
    private Ran runStarter(boolean daemon, Path fifo, java.util.function.LongConsumer whileRunning) throws Exception {
        Process jvm = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "-cp", System.getProperty("java.class.path"), Starter.class.getName(), Boolean.toString(daemon),
                fifo.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))) {
            String first = lines.readLine();
            assertNotNull(first, "the starter JVM printed nothing");
            assertTrue(first.startsWith("pid "), first);
            long pid = Long.parseLong(first.substring(4));
            whileRunning.accept(pid);
            List<String> rest = lines.lines().collect(Collectors.toList());
            assertTrue(jvm.waitFor(END.toSeconds(), TimeUnit.SECONDS), "the starter JVM did not exit");
            return new Ran(pid, rest, jvm.exitValue());
        } finally {
            jvm.destroyForcibly();
        }
    }

    private static Path fifo(Path dir) throws Exception {
        Path fifo = dir.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor());
        return fifo;
    }

    @Test
    void aNonDaemonProcessKeepsItsJvmAliveUntilItEnds() throws Exception {
        Path fifo = fifo(dir);
        Ran ran = runStarter(false, fifo, pid -> {
            // main has returned; the JVM waits for the process, which waits for this writer
            try (OutputStream w = Files.newOutputStream(fifo)) {
                w.write('x');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        assertEquals(0, ran.exitValue());
        assertEquals(List.of("at exit: WorkerProcess[process-1, pid " + ran.processPid() + ", exit code 0]"), ran.lines());
        assertTrue(gone(ran.processPid()));
    }

    @Test
    void aDaemonProcessDoesNotKeepItsJvmAliveAndEndsWithIt() throws Exception {
        Path fifo = fifo(dir);
        Ran ran = runStarter(true, fifo, pid -> { });
        assertEquals(0, ran.exitValue());
        assertEquals(List.of("at exit: WorkerProcess[process-1, pid " + ran.processPid() + ", running, daemon]"),
                ran.lines());
        awaitGone(ran.processPid());
    }
}
