package org.jparallel.internal.launch;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The printer on its own: its limit (how it is set, that it counts UTF-8 bytes) and how it groups writers' output. */
class WorkerOutputPrinterTest {

    @AfterEach
    void clear() {
        System.clearProperty(WorkerOutputPrinter.LIMIT_PROPERTY);
    }

    /** A value that is not a byte count stops nothing (output travels on service threads), and says so. */
    @Test
    void aLimitThatIsNotAByteCountIsReportedAboveTheOutputAndTheDefaultUsed() {
        for (String bad : new String[]{"lots", "-1", "100", "2x"}) {
            System.setProperty(WorkerOutputPrinter.LIMIT_PROPERTY, bad);
            String[] shown = print(new WorkerOutputPrinter(), "x".repeat(3 << 20));
            assertTrue(shown[1].startsWith("system property jparallel.output.limit is how many bytes of each worker's"
                    + " output to show per run: at least 1k, such as 2m or 512k, or 0 for everything; not \"" + bad
                    + "\": 2m is used\n"), shown[1]);
            assertTrue(shown[0].contains("is over jparallel.output.limit=2m"), bad);
        }
    }

    /** What a printer printed to stdout and stderr while it printed {@code text} as worker 1's and finished. */
    private static String[] print(WorkerOutputPrinter printer, String... texts) {
        PrintStream realOut = System.out;
        PrintStream realErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            for (String text : texts) {
                printer.print(1, 42, false, text);
            }
            printer.finish();
        } finally {
            System.setOut(realOut);
            System.setErr(realErr);
        }
        return new String[]{out.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"),
                err.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n")};
    }

    @Test
    void theLimitAndTheNoticeCountUtf8Bytes() {
        System.setProperty(WorkerOutputPrinter.LIMIT_PROPERTY, "1k");
        // 4,000 bytes without a line break, then the end
        String shown = print(new WorkerOutputPrinter(), "é".repeat(2_000), "\nEND\n")[0];
        long shownBytes = 2 * shown.chars().filter(c -> c == 'é').count();
        assertTrue(shownBytes <= 768, shown); // three quarters of the limit show as they arrive
        Matcher notice = Pattern.compile("\n… [0-9.]+ MB \\(([0-9,]+) bytes\\) of output from worker 1 \\(pid 42\\) not shown\nEND\n$")
                .matcher(shown);
        assertTrue(notice.find(), shown);
        // the tail starts at a line, so the line break after the é's is left out too
        assertEquals(4_001 - shownBytes, Long.parseLong(notice.group(1).replace(",", "")));
    }

    /**
     * Two workers printing a line each in turn: each label heads a group of lines, not every line. Before the
     * floor was kept by one writer, 40 lines came out as 80 (a label above each).
     */
    @Test
    void workersPrintingInTurnAreShownInGroupsOneLabelEach() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream realOut = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            WorkerOutputPrinter printer = new WorkerOutputPrinter();
            for (int i = 0; i < 20; i++) {
                printer.print(0, 100, false, "a" + i + "\n");
                printer.print(1, 101, false, "b" + i + "\n");
            }
            printer.finish();
        } finally {
            System.setOut(realOut);
        }
        String[] lines = out.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n").split("\n");
        assertEquals(42, lines.length, String.join("\n", lines));
        assertEquals("[worker 0 · pid 100]", lines[0]);
        assertEquals("[worker 1 · pid 101]", lines[21]);
        for (int i = 0; i < 20; i++) {
            assertEquals("a" + i, lines[1 + i]);
            assertEquals("b" + i, lines[22 + i]);
        }
    }

    /** What waits for the floor is printed when the writer that has it falls quiet, without waiting for the end. */
    @Test
    void heldOutputIsPrintedWhenTheWriterWithTheFloorFallsQuiet() throws InterruptedException {
        ByteArrayOutputStream shown = new ByteArrayOutputStream();
        PrintStream watched = new PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                synchronized (shown) {
                    shown.write(b);
                    shown.notifyAll();
                }
            }
        }, true, StandardCharsets.UTF_8);
        PrintStream realOut = System.out;
        PrintStream realErr = System.err;
        System.setOut(watched);
        System.setErr(watched);
        try {
            WorkerOutputPrinter printer = new WorkerOutputPrinter();
            printer.print(0, 100, false, "first\n");
            printer.print(1, 101, false, "held\n");
            printer.print(0, 100, true, "its stderr, in its place\n");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            synchronized (shown) {
                while (!shown.toString(StandardCharsets.UTF_8).contains("held")) {
                    long left = deadline - System.nanoTime();
                    assertTrue(left > 0, "worker 1's line was never printed: " + shown);
                    TimeUnit.NANOSECONDS.timedWait(shown, left);
                }
            }
        } finally {
            System.setOut(realOut);
            System.setErr(realErr);
        }
        String text = shown.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
        assertEquals("[worker 0 · pid 100]\nfirst\n[worker 0 · pid 100]\nits stderr, in its place\n"
                + "[worker 1 · pid 101]\nheld\n", text);
    }
}
