package org.jparallel.internal.pool;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The printer's limit on its own: how it is set, and that it counts UTF-8 bytes, not chars. */
class WorkerOutputPrinterTest {

    @AfterEach
    void clear() {
        System.clearProperty(WorkerOutputPrinter.LIMIT_PROPERTY);
    }

    @Test
    void aLimitThatIsNotAByteCountIsRefusedSayingWhatWouldDo() {
        for (String bad : new String[]{"lots", "-1", "100", "2x"}) {
            System.setProperty(WorkerOutputPrinter.LIMIT_PROPERTY, bad);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, WorkerOutputPrinter::new, bad);
            assertEquals("system property jparallel.output.limit is how many bytes of each worker's output to show"
                    + " per run: at least 1k, such as 2m or 512k, or 0 for everything; not \"" + bad + "\"", e.getMessage());
        }
    }

    @Test
    void theLimitAndTheNoticeCountUtf8Bytes() {
        System.setProperty(WorkerOutputPrinter.LIMIT_PROPERTY, "1k");
        PrintStream realOut = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            WorkerOutputPrinter printer = new WorkerOutputPrinter();
            printer.print(1, 42, false, "é".repeat(2_000)); // 4,000 bytes, no line break
            printer.print(1, 42, false, "\nEND\n");
            printer.finish();
        } finally {
            System.setOut(realOut);
        }
        String shown = out.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
        long shownBytes = 2 * shown.chars().filter(c -> c == 'é').count();
        assertTrue(shownBytes <= 768, shown); // three quarters of the limit show as they arrive
        Matcher notice = Pattern.compile("\n… [0-9.]+ MB \\(([0-9,]+) bytes\\) of output from worker 1 \\(pid 42\\) not shown\nEND\n$")
                .matcher(shown);
        assertTrue(notice.find(), shown);
        // the tail starts at a line, so the line break after the é's is left out too
        assertEquals(4_001 - shownBytes, Long.parseLong(notice.group(1).replace(",", "")));
    }
}
