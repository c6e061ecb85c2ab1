package org.jparallel.internal.shm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** This process's id, and whether another process is still running. */
final class Pids {

    static final long CURRENT = ProcessHandle.current().pid();
    private static final boolean PROC = Files.isDirectory(Path.of("/proc/self"));

    private Pids() {
    }

    /**
     * Whether process {@code pid} is running. A zombie (exited, not yet reaped by its parent) counts as
     * dead, unlike {@link ProcessHandle#isAlive()}: it will never release a lock.
     */
    static boolean isAlive(long pid) {
        if (pid == CURRENT) {
            return true;
        }
        if (pid <= 0) {
            return false;
        }
        if (PROC) {
            try {
                String stat = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "stat")),
                        StandardCharsets.US_ASCII);
                int end = stat.lastIndexOf(')'); // the command name may contain spaces and parentheses
                char state = end >= 0 && end + 2 < stat.length() ? stat.charAt(end + 2) : '?';
                return state != 'Z' && state != 'X' && state != 'x';
            } catch (NoSuchFileException e) {
                return false;
            } catch (IOException e) {
                // fall back to the portable check
            }
        }
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
