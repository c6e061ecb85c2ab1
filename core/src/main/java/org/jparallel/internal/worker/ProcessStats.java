package org.jparallel.internal.worker;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Duration;

/**
 * CPU time and resident memory of a process, from the JDK and Linux's {@code /proc}: the kernel reads its
 * workers' on this machine, a worker reads its own for its heartbeat (a kernel cannot read another host's).
 */
public final class ProcessStats {

    /** Room for {@code /proc/PID/status} (59 lines, 1.4 KB here), doubled for a file that does not fit. */
    private static final int STATUS_BYTES = 4096;
    private static final byte[] VM_RSS = "\nVmRSS:".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private ProcessStats() {
    }

    public static Duration cpuTime(ProcessHandle process) {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** Resident set size in bytes, or -1 when {@code /proc} does not have it. */
    public static long rssBytes(long pid) {
        try (FileChannel status = FileChannel.open(Path.of("/proc", Long.toString(pid), "status"))) {
            return vmRss(readWhole(status, ByteBuffer.allocate(STATUS_BYTES)));
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * This process's CPU time and resident set size, read again and again through open files and one buffer: a
     * worker's heartbeat reads them twice a second, and reading them as lines and through
     * {@link ProcessHandle#info()} (which also reads the whole command line) allocated 33 KB each time, which an
     * idle worker's young generation kept, page after page, until it was full (RSS +80 KB/s, ~6 MiB a minute).
     * Closing it closes the files.
     */
    static final class Own implements AutoCloseable {

        private final ProcessHandle self = ProcessHandle.current();
        private final FileChannel status = open("status");
        private final FileChannel stat = open("stat");
        /** Holds the file last read; replaced by a larger one when a file does not fit. */
        private ByteBuffer buffer = ByteBuffer.allocate(STATUS_BYTES);
        /** The JDK's nanoseconds per clock tick of {@code /proc/self/stat}, once seen; 0 until then. */
        private long nanosPerTick;

        /** CPU time in nanoseconds, user and system, of every thread: {@link #cpuTime}'s figure. */
        long cpuNanos() {
            long ticks = ticks();
            if (ticks > 0 && nanosPerTick > 0) {
                return ticks * nanosPerTick;
            }
            long jdk = cpuTime(self).toNanos(); // the JDK reads the same ticks and knows their length (sysconf)
            if (ticks > 0 && jdk > 0 && jdk % ticks == 0 && ticks() == ticks) {
                nanosPerTick = jdk / ticks;
            }
            return jdk;
        }

        /** Resident set size in bytes, or -1 when {@code /proc} does not have it. */
        long rssBytes() {
            if (status == null) {
                return -1;
            }
            try {
                buffer = readWhole(status, buffer);
                return vmRss(buffer);
            } catch (IOException e) {
                return -1;
            }
        }

        /** utime + stime (fields 14 and 15) of {@code /proc/self/stat} in clock ticks, or -1 when it cannot be read. */
        private long ticks() {
            if (stat == null) {
                return -1;
            }
            try {
                buffer = readWhole(stat, buffer);
                int end = buffer.position();
                byte[] text = buffer.array();
                int at = end - 1;
                while (at >= 0 && text[at] != ')') { // the command name before it may hold spaces and parentheses
                    at--;
                }
                if (at < 0) {
                    return -1;
                }
                long sum = 0;
                long number = 0;
                int field = 3; // the state, after ") "
                for (int i = at + 2; i < end && field <= 15; i++) {
                    if (text[i] == ' ') {
                        sum += field >= 14 ? number : 0;
                        number = 0;
                        field++;
                    } else {
                        number = number * 10 + (text[i] - '0');
                    }
                }
                return field > 15 ? sum : -1;
            } catch (IOException e) {
                return -1;
            }
        }

        @Override
        public void close() {
            for (FileChannel file : new FileChannel[]{status, stat}) {
                try {
                    if (file != null) {
                        file.close();
                    }
                } catch (IOException e) {
                    // a /proc file: nothing was written, nothing to lose
                }
            }
        }

        private static FileChannel open(String file) {
            try {
                return FileChannel.open(Path.of("/proc/self", file));
            } catch (IOException | UnsupportedOperationException e) {
                return null; // no /proc: the JDK's figures, and -1 for memory, as for another process
            }
        }
    }

    /** {@code VmRSS} of a status file that {@link #readWhole} read into {@code buffer}; -1 if it has none. */
    private static long vmRss(ByteBuffer buffer) {
        int end = buffer.position();
        byte[] text = buffer.array();
        for (int at = 0; at + VM_RSS.length <= end; at++) {
            if (matches(text, at)) {
                long kb = 0;
                boolean digits = false;
                for (int i = at + VM_RSS.length; i < end && text[i] != '\n'; i++) {
                    if (text[i] >= '0' && text[i] <= '9') {
                        kb = kb * 10 + (text[i] - '0');
                        digits = true;
                    }
                }
                return digits ? kb * 1024 : -1;
            }
        }
        return -1;
    }

    /**
     * Reads a whole file from its start into {@code buffer}, or into one twice as large, and so on, when it does not
     * fit; returns the buffer that holds it, its position at the file's end.
     */
    private static ByteBuffer readWhole(FileChannel file, ByteBuffer buffer) throws IOException {
        while (true) {
            buffer.clear();
            while (buffer.hasRemaining() && file.read(buffer, buffer.position()) > 0) {
                // procfs may hand a file over in pieces
            }
            if (buffer.hasRemaining()) {
                return buffer;
            }
            buffer = ByteBuffer.allocate(2 * buffer.capacity());
        }
    }

    private static boolean matches(byte[] text, int at) {
        for (int i = 0; i < VM_RSS.length; i++) {
            if (text[at + i] != VM_RSS[i]) {
                return false;
            }
        }
        return true;
    }
}
