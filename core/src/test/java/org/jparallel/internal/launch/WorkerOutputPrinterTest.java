package org.jparallel.internal.launch;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The printer's limit on its own: how it is set, and that it counts UTF-8 bytes, not chars. */
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
}
