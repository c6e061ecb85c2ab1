package org.jparallel.internal.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * CPU time and resident memory of a process, from the JDK and Linux's {@code /proc}: the kernel reads its
 * workers' on this machine, a worker reads its own for its heartbeat (a kernel cannot read another host's).
 */
public final class ProcessStats {

    private ProcessStats() {
    }

    public static Duration cpuTime(ProcessHandle process) {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** Resident set size in bytes, or -1 when {@code /proc} does not have it. */
    public static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
