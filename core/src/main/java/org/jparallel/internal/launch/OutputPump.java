package org.jparallel.internal.launch;


import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;

/**
 * Copies one output pipe of a process (UTF-8) to a {@link WorkerOutputPrinter} as the text arrives,
 * on a daemon thread of its own, until end of file. A full pipe makes the process wait for the copy,
 * so nothing it writes is lost however much it writes.
 */
public final class OutputPump {

    private final Thread thread;

    public OutputPump(InputStream pipe, boolean error, String writer, long pid, WorkerOutputPrinter printer) {
        thread = new Thread(() -> copy(pipe, error, writer, pid, printer),
                "jparallel-process-" + pid + (error ? "-stderr" : "-stdout"));
        thread.setDaemon(true);
        thread.start();
    }

    private static void copy(InputStream pipe, boolean error, String writer, long pid, WorkerOutputPrinter printer) {
        // a read returns what has arrived so far, so text shows while the process runs
        try (Reader reader = new InputStreamReader(pipe, StandardCharsets.UTF_8)) {
            char[] buffer = new char[8192];
            int n;
            while ((n = reader.read(buffer)) != -1) {
                printer.print(writer, pid, error, new String(buffer, 0, n));
            }
        } catch (IOException e) {
            // the pipe was closed under us: there is nothing more to copy
        }
        printer.finish(writer, pid); // the end of its output, which the printer's limit may have held back
    }

    /**
     * Waits for end of file, which comes when the process has ended, unless a process it started still
     * holds the pipe; then this gives up after {@code millis} and the copying goes on in the background.
     */
    public void await(long millis) throws InterruptedException {
        thread.join(millis);
    }
}
