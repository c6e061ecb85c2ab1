package org.jparallel.internal.worker;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessStatsTest {

    private static long burn() {
        long x = 0;
        for (int i = 0; i < 5_000_000; i++) {
            x += Long.numberOfTrailingZeros(x + i);
        }
        return x;
    }

    @Test
    void ownCpuTimeIsTheJdksFigure() {
        ProcessStats.Own own = new ProcessStats.Own();
        ProcessHandle self = ProcessHandle.current();
        for (int round = 0; round < 5; round++) {
            burn();
            long before = ProcessStats.cpuTime(self).toNanos();
            long read = own.cpuNanos();
            long after = ProcessStats.cpuTime(self).toNanos();
            assertTrue(before > 0 && before <= read && read <= after,
                    "round " + round + ": " + before + " <= " + read + " <= " + after);
        }
    }

    @Test
    void ownRssIsVmRss() {
        ProcessStats.Own own = new ProcessStats.Own();
        long mine = own.rssBytes();
        long read = ProcessStats.rssBytes(ProcessHandle.current().pid());
        assertTrue(mine > 1 << 20 && read > 1 << 20, mine + " and " + read + " bytes");
        assertTrue(Math.abs(mine - read) < 64L << 20, mine + " against " + read + " bytes a moment later");
        assertEquals(0, mine % 1024, "kB from /proc");
    }

    @Test
    void closingClosesTheFiles() {
        ProcessStats.Own own = new ProcessStats.Own();
        assertTrue(own.rssBytes() > 0);
        own.close();
        assertEquals(-1, own.rssBytes(), "read through a closed file");
    }

    @Test
    void anotherProcessWithoutProcEntryHasNoRss() {
        assertEquals(-1, ProcessStats.rssBytes(Long.MAX_VALUE));
    }

    /** A heartbeat reads these twice a second for a worker's life: what it allocates stays in an idle worker's RSS. */
    @Test
    void readingOwnFiguresAllocatesNothing() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        ProcessStats.Own own = new ProcessStats.Own();
        for (int i = 0; i < 10; i++) { // calibrates, and the channels' first reads take their buffers
            own.cpuNanos();
            own.rssBytes();
        }
        long before = threads.getThreadAllocatedBytes(id);
        long sum = 0;
        for (int i = 0; i < 100; i++) {
            sum += own.cpuNanos() + own.rssBytes();
        }
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        assertTrue(sum > 0);
        assertTrue(allocated < 100 * 64, allocated + " bytes for 100 readings (was 33 KB a reading)");
    }
}
