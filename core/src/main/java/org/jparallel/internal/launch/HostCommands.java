package org.jparallel.internal.launch;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Short commands that reach other hosts or a cluster's controller ({@code ssh}, {@code srun}, {@code squeue},
 * {@code scancel} …), run to their end with a time limit, and the quoting of words for the POSIX shell that runs
 * a worker's command there.
 */
final class HostCommands {

    private HostCommands() {
    }

    /** How a command ended: its exit status (255 when it gave no answer in time) and what it printed. */
    record Result(int status, String said) {
    }

    /**
     * Runs a command to its end (killed past {@code seconds}), its standard input {@code input} (null for none):
     * its exit status and what it printed on its standard output and error.
     */
    static Result run(List<String> command, File input, long seconds) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(input == null ? new File("/dev/null") : input)).start();
            // read on this thread: these commands print a few lines; their own timeouts bound them
            String said = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                return new Result(255, "no answer within " + seconds + " s");
            }
            return new Result(process.exitValue(), said);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        }
    }

    /** A word for a POSIX shell, in single quotes. */
    static String quoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** Words for a POSIX shell, each quoted, separated by spaces. */
    static String words(List<String> words) {
        return words.stream().map(HostCommands::quoted).collect(Collectors.joining(" "));
    }
}
