package org.jparallel.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * For test code that runs on a worker (inside a task, a {@code WorkerProcess} target): telling the test
 * something through a file, and sleeping where a task must stay busy. Checked exceptions become unchecked,
 * as a task's body wants them.
 */
public final class OnWorker {

    private OnWorker() {
    }

    /** Writes {@code text} to {@code file} atomically: a reader never sees it half-written. */
    public static void publish(Path file, String text) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, text);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sleeps (a task that must stay busy, not a wait for something), an interrupt becoming an exception. */
    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** This worker's PID after a sleep: tasks that last that long reach every worker of a pool. */
    public static long pidAfter(long millis) {
        sleep(millis);
        return ProcessHandle.current().pid();
    }
}
