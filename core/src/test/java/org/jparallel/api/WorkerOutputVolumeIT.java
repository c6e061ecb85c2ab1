package org.jparallel.api;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What this JVM shows of a worker's output when there is a lot of it, with real worker JVMs: all of it
 * when the limit is off (no batch is too big for the wire), and over the limit the start, a notice with
 * the exact count of what is not shown, and the end, the user's last line included. Every worker and
 * process a test started is gone after it.
 */
class WorkerOutputVolumeIT {

    private static final String LIMIT = "jparallel.output.limit";
    /** What the tasks print; no label or notice contains it, so counting it counts the task's text. */
    private static final char PAYLOAD = '#';
    private static final Pattern NOTICE = Pattern.compile(
            "… [0-9.]+ MB \\(([0-9,]+) bytes\\) of output from (worker \\d+|process-\\d+) \\(pid (\\d+)\\) not shown\n");

    private final List<Long> pids = new ArrayList<>();
    private PrintStream realOut;
    private PrintStream realErr;
    private ByteArrayOutputStream out;
    private ByteArrayOutputStream err;

    @BeforeEach
    void capture() {
        realOut = System.out;
        realErr = System.err;
        out = new ByteArrayOutputStream();
        err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() throws InterruptedException {
        System.setOut(realOut);
        System.setErr(realErr);
        System.clearProperty(LIMIT);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        for (long pid : pids) {
            Optional<ProcessHandle> handle = ProcessHandle.of(pid);
            if (handle.isEmpty()) {
                continue;
            }
            try {
                handle.get().onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                handle.get().destroyForcibly();
                fail("worker pid " + pid + " still runs 20 s after its pool closed (now killed)");
            } catch (ExecutionException e) {
                throw new AssertionError("could not wait for worker pid " + pid, e);
            }
        }
    }

    // ---- what the tasks print (run on the workers) ----

    /** One write of {@code n} payload bytes, then a line break and the end marker. */
    static void printOneWrite(int n, String marker) {
        byte[] bytes = new byte[n];
        Arrays.fill(bytes, (byte) PAYLOAD);
        try {
            System.out.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println();
        System.out.println(marker);
    }

    /** {@code lines} lines of {@code width - 1} payload characters, to stdout, or alternately stdout and stderr. */
    static void printLines(int lines, int width, boolean alternate, String marker) {
        String line = String.valueOf(PAYLOAD).repeat(width - 1);
        for (int i = 0; i < lines; i++) {
            (alternate && i % 2 == 1 ? System.err : System.out).println(line);
        }
        System.out.println(marker);
        if (alternate) {
            System.err.println(marker);
        }
    }

    // ---- reading what was shown ----

    private String shownOut() {
        return out.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }

    private String shownErr() {
        return err.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }

    /** The end of what was shown, runs of payload abbreviated: for failure messages. */
    private static String ending(String shown) {
        String brief = shown.replaceAll(PAYLOAD + "{2,}", "<payload>");
        return brief.substring(Math.max(0, brief.length() - 2_000));
    }

    private static long payload(String shown) {
        return shown.chars().filter(c -> c == PAYLOAD).count();
    }

    /** The counts of the notices in {@code shown}, checking that each names {@code writer} and {@code pid}. */
    private static List<Long> notices(String shown, String writer, long pid) {
        List<Long> counts = new ArrayList<>();
        Matcher m = NOTICE.matcher(shown);
        while (m.find()) {
            assertEquals(writer, m.group(2), m.group());
            assertEquals(Long.toString(pid), m.group(3), m.group());
            assertTrue(m.start() == 0 || shown.charAt(m.start() - 1) == '\n', "a notice starts a line: " + m.group());
            counts.add(Long.parseLong(m.group(1).replace(",", "")));
        }
        return counts;
    }

    /** Every line of payload shown is whole: a cut falls between lines. */
    private static long wholeLines(String shown, int width) {
        long lines = 0;
        for (String line : shown.split("\n")) {
            if (!line.isEmpty() && line.charAt(0) == PAYLOAD) {
                assertEquals(width - 1, line.length(), "a line of payload was cut");
                lines++;
            }
        }
        return lines;
    }

    /** Runs {@code printing} on a pool of one worker, with the limit set to {@code limit}; returns the worker's PID. */
    private long runOnAWorker(String limit, SerialRunnable printing) throws InterruptedException {
        System.setProperty(LIMIT, limit);
        try (WorkerPool pool = WorkerPool.start(1).awaitReady()) {
            long pid = pool.status().get(0).pid();
            pids.add(pid);
            pool.apply(() -> {
                printing.run();
                return null;
            });
            return pid;
        }
    }

    // ---- with the limit off, everything arrives ----

    /** Was: the 21 MB batch exceeded the codec's 20 M-character string limit and only the kernel's log said so. */
    @Test
    void aWriteOfTwentyOneMegabytesArrivesWholeWhenTheLimitIsOff() throws Exception {
        runOnAWorker("0", () -> printOneWrite(21_000_000, "END OF ONE WRITE"));
        String shown = shownOut();
        assertEquals(21_000_000, payload(shown));
        assertTrue(shown.endsWith("\nEND OF ONE WRITE\n"), () -> ending(shown));
        assertFalse(NOTICE.matcher(shown).find());
    }

    /** Was: about a fifth of the lines showed, and not the end marker. */
    @Test
    void thirtyThousandLinesOfAThousandCharactersArriveWholeWhenTheLimitIsOff() throws Exception {
        runOnAWorker("0", () -> printLines(30_000, 1_000, false, "END OF LINES"));
        String shown = shownOut();
        assertEquals(30_000, wholeLines(shown, 1_000));
        assertTrue(shown.endsWith("\nEND OF LINES\n"), () -> ending(shown));
    }

    // ---- over the limit: the start, a notice with the count, the end ----

    @Test
    void overTheLimitOneWriteShowsItsStartANoticeWithTheCountAndItsEnd() throws Exception {
        long pid = runOnAWorker("2m", () -> printOneWrite(21_000_000, "END OF ONE WRITE"));
        assertCutUnderTwoMegabytes(shownOut(), "worker 0", pid, "END OF ONE WRITE");
    }

    /** What {@link #printOneWrite} of 21,000,000 bytes shows under a limit of 2m. */
    private static void assertCutUnderTwoMegabytes(String shown, String writer, long pid, String marker) {
        List<Long> notices = notices(shown, writer, pid);
        assertEquals(1, notices.size(), "one notice");
        long shownPayload = payload(shown);
        assertTrue(shownPayload <= 2 * 1024 * 1024, "at most the limit is shown: " + shownPayload);
        // the tail starts at a line: the line break after the payload is counted as not shown
        assertEquals(21_000_001 - shownPayload, notices.get(0));
        assertTrue(shown.endsWith("not shown\n" + marker + "\n"), () -> ending(shown));
    }

    @Test
    void overTheLimitLinesAreCutBetweenLinesAndTheEndMarkerArrives() throws Exception {
        long pid = runOnAWorker("2m", () -> printLines(30_000, 1_000, false, "END OF LINES"));
        String shown = shownOut();
        List<Long> notices = notices(shown, "worker 0", pid);
        assertEquals(1, notices.size(), "one notice");
        long lines = wholeLines(shown, 1_000);
        assertTrue(lines > 0 && lines * 1_000 <= 2 * 1024 * 1024, lines + " lines shown");
        assertEquals((30_000 - lines) * 1_000, notices.get(0));
        assertTrue(shown.endsWith("\n" + "#".repeat(999) + "\nEND OF LINES\n"), () -> ending(shown));
    }

    @Test
    void overTheLimitStdoutAndStderrShareOneCountAndBothEndsArrive() throws Exception {
        long pid = runOnAWorker("2m", () -> printLines(20_000, 1_000, true, "END OF BOTH"));
        String shownOut = shownOut();
        String shownErr = shownErr();
        List<Long> notices = new ArrayList<>(notices(shownOut, "worker 0", pid));
        notices.addAll(notices(shownErr, "worker 0", pid));
        assertEquals(1, notices.size(), "one notice, on one of the streams");
        long lines = wholeLines(shownOut, 1_000) + wholeLines(shownErr, 1_000);
        assertTrue(lines * 1_000 <= 2 * 1024 * 1024, lines + " lines shown");
        assertEquals((20_000 - lines) * 1_000, notices.get(0), () -> ending(shownOut) + "\n---- stderr:\n" + ending(shownErr));
        assertTrue(shownOut.endsWith("\nEND OF BOTH\n"), () -> ending(shownOut));
        assertTrue(shownErr.endsWith("\nEND OF BOTH\n"), () -> ending(shownErr));
    }

    /** A stand-alone process's output goes through the same limit, counted over the process's life. */
    @Test
    void overTheLimitAProcessShowsItsStartANoticeWithTheCountAndItsEnd() throws Exception {
        System.setProperty(LIMIT, "2m");
        WorkerProcess p = WorkerProcess.start(() -> printOneWrite(21_000_000, "END OF PROCESS"));
        pids.add(p.pid());
        assertTrue(p.join(Duration.ofSeconds(60)), "the process ended");
        assertCutUnderTwoMegabytes(shownOut(), p.name(), p.pid(), "END OF PROCESS");
    }

    /** Was: an initializer's output went to a listener that ignores everything. */
    @Test
    void whatAnInitializerPrintsIsShown() throws Exception {
        long pid;
        try (WorkerPool pool = WorkerPool.builder().workers(1).initializer(() -> System.out.println("initialized")).start()) {
            pool.awaitReady();
            pid = pool.status().get(0).pid();
            pids.add(pid);
            pool.apply(() -> null); // runs after the initializer, whose output came before its result
        }
        assertEquals("[worker 0 · pid " + pid + " · initializer]\ninitialized\n", shownOut());
    }
}
