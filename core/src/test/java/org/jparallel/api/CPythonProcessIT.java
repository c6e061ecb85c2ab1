package org.jparallel.api;

import org.jparallel.testing.NoSegmentsLeft;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CPython's {@code _TestProcess}, {@code _TestSubclassingProcess} and {@code _TestAtExit}, ported to
 * {@link WorkerProcess}: arguments and identity, exit codes after signals, many processes at once, broken
 * standard streams, shutdown hooks. No process outlives its test. See docs/cpython-checklist.md.
 */
@ExtendWith(NoSegmentsLeft.class)
class CPythonProcessIT {

    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final long PID = ProcessHandle.current().pid();

    private final List<WorkerProcess> started = new ArrayList<>();

    @TempDir
    Path dir;

    private WorkerProcess start(SerialRunnable target) {
        WorkerProcess p = WorkerProcess.start(target);
        started.add(p);
        return p;
    }

    @AfterEach
    void nothingLeft() throws InterruptedException {
        for (WorkerProcess p : started) {
            p.kill();
            assertTrue(p.join(LIMIT), p + " outlived kill()");
        }
    }

    /** What this process's open file descriptors point to (Linux), so that a difference can be read. */
    static List<String> openFiles() {
        List<String> files = new ArrayList<>();
        String[] fds = new File("/proc/self/fd").list();
        for (String fd : fds == null ? new String[0] : fds) {
            try {
                files.add(java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd", fd)).toString());
            } catch (java.io.IOException e) {
                files.add("(closed while listed)"); // the listing's own descriptor
            }
        }
        java.util.Collections.sort(files);
        return files;
    }

    record Report(String name, long pid, List<Object> args, int fds, List<String> files) {
    }

    @Test // test_current
    void theCallersIdentityIsMainWithItsOwnPid() {
        WorkerIdentity me = WorkerIdentity.current();
        assertEquals(new WorkerIdentity(-1, "main", PID), me);
        assertFalse(me.isWorker());
    }

    @Test // test_process, test_args_argument, test_child_fd_inflation, test_many_processes, test_lose_target_ref
    void processesGetTheirArgumentsAndIdentityAndOpenAsManyFilesHoweverManyRun() throws Exception {
        int n = 3;
        try (SharedQueue<Report> reports = Shared.queue(); SharedEvent done = Shared.event()) {
            List<WorkerProcess> ps = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                List<Object> args = List.of(i, "str", List.of(1), 2.54);
                ps.add(start(() -> {
                    WorkerIdentity me = WorkerIdentity.current();
                    List<String> files = openFiles();
                    reports.put(new Report(me.name(), me.pid(), args, files.size(), files));
                    done.await(LIMIT);
                }));
            }
            for (WorkerProcess p : ps) {
                assertTrue(p.isAlive());
                assertEquals(OptionalInt.empty(), p.exitCode());
            }
            List<Report> got = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                got.add(reports.get(LIMIT));
            }
            Set<Integer> fdCounts = new HashSet<>();
            for (Report r : got) {
                WorkerProcess p = ps.stream().filter(q -> q.pid() == r.pid()).findFirst().orElseThrow();
                assertEquals(p.name(), r.name());
                assertEquals(List.of(ps.indexOf(p), "str", List.of(1), 2.54), r.args());
                fdCounts.add(r.fds());
            }
            assertEquals(1, fdCounts.size(), "a process's open files do not grow with the processes running: " + got);
            done.set();
            for (WorkerProcess p : ps) {
                assertTrue(p.join(LIMIT));
                assertEquals(0, p.exitCode().orElseThrow(), () -> String.valueOf(p.failure()));
                assertFalse(p.isAlive());
            }
        }
    }

    @Test // test_many_processes, second half: processes terminated right after start (bpo-31510)
    void processesTerminatedRightAfterTheyStartExitWithMinus15() throws Exception {
        try (SharedEvent never = Shared.event()) {
            List<WorkerProcess> ps = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ps.add(start(() -> never.await(LIMIT)));
            }
            ps.forEach(WorkerProcess::terminate);
            for (WorkerProcess p : ps) {
                assertTrue(p.join(LIMIT), p + " outlived terminate()");
                assertEquals(-15, p.exitCode().orElseThrow(), p::toString);
            }
        }
    }

    @Test // test_interrupt_no_handler: SIGINT ends a process with -SIGINT
    void aProcessInterruptedBySigintExitsWithMinus2() throws Exception {
        try (SharedEvent running = Shared.event(); SharedEvent never = Shared.event()) {
            WorkerProcess p = start(() -> {
                running.set();
                never.await(LIMIT);
            });
            assertTrue(running.await(LIMIT));
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).inheritIO().start();
            assertEquals(0, kill.waitFor());
            assertTrue(p.join(LIMIT), p + " outlived SIGINT");
            assertEquals(-2, p.exitCode().orElseThrow(), p::toString);
        }
    }

    @Test // test_error_on_stdio_flush_1 and _2: a process whose standard streams are closed still ends well
    void aTargetThatClosesItsStandardStreamsStillExitsWithZero() throws Exception {
        try (SharedEvent reached = Shared.event()) {
            WorkerProcess p = start(() -> {
                System.out.println("before closing");
                System.out.close();
                System.err.close();
                System.out.println("after closing: lost");
                reached.set();
            });
            assertTrue(p.join(LIMIT));
            assertTrue(reached.isSet());
            assertEquals(0, p.exitCode().orElseThrow(), () -> String.valueOf(p.failure()));
        }
    }

    @Test // _TestAtExit.test_atexit (gh-83856): exit handlers run when the target returns
    void shutdownHooksRunWhenTheTargetReturns() throws Exception {
        String output = dir.resolve("output.txt").toString();
        WorkerProcess p = start(() -> Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Files.writeString(Path.of(output), "deadbeef");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        })));
        assertTrue(p.join(LIMIT));
        assertEquals(0, p.exitCode().orElseThrow());
        assertEquals("deadbeef", Files.readString(Path.of(output)));
    }
}
