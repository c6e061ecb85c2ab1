package org.jparallel.internal.shm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** This process's id and start time, and whether another process is still running. */
final class Pids {

    static final long CURRENT = ProcessHandle.current().pid();
    private static final boolean PROC = Files.isDirectory(Path.of("/proc/self"));
    /** When this process started, in clock ticks since boot ({@code /proc}); -1 where that is unknown. */
    static final long CURRENT_START = startTicks(CURRENT);
    /** Index of the start time among the fields of {@code /proc/<pid>/stat} that follow the command name. */
    private static final int START_FIELD = 19;

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
                String fields = statFields(pid);
                return fields != null && isRunning(fields);
            } catch (IOException e) {
                // fall back to the portable check
            }
        }
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * Whether the process that started at {@code startTicks} (clock ticks since boot) as {@code pid} is
     * still running: false once it has ended, even if a new process has since been given the same pid.
     * Where start times are unknown (no {@code /proc}), whether {@code pid} is running.
     */
    static boolean isAlive(long pid, long startTicks) {
        if (!PROC || CURRENT_START < 0) {
            return isAlive(pid);
        }
        return startTicks == (pid == CURRENT ? CURRENT_START : startTicks(pid));
    }

    /** When process {@code pid} started, in clock ticks since boot; -1 if it is not running or that is unknown. */
    static long startTicks(long pid) {
        if (!PROC || pid <= 0) {
            return -1;
        }
        try {
            String fields = statFields(pid);
            if (fields == null || !isRunning(fields)) {
                return -1;
            }
            String[] each = fields.split(" ");
            return each.length > START_FIELD ? Long.parseLong(each[START_FIELD]) : -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** The fields of {@code /proc/<pid>/stat} after the command name (state first); null if there is no such process. */
    private static String statFields(long pid) throws IOException {
        String stat;
        try {
            stat = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "stat")), StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return null;
        }
        int end = stat.lastIndexOf(')'); // the command name may contain spaces and parentheses
        return end >= 0 && end + 2 < stat.length() ? stat.substring(end + 2).trim() : "?";
    }

    private static boolean isRunning(String fields) {
        char state = fields.charAt(0);
        return state != 'Z' && state != 'X' && state != 'x';
    }
}
