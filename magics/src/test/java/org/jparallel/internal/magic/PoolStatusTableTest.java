package org.jparallel.internal.magic;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.jparallel.api.WorkerStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code %pool}'s table: each worker's host beside its PID when the pool has workers on other hosts. */
class PoolStatusTableTest {

    @Test
    void aPoolWithWorkersElsewhereShowsEachOnesHostBesideItsPid() {
        DisplayData shown = PoolMagic.table(List.of(
                new WorkerStatus(0, 101, "idle", 3, Duration.ofMillis(1500), 50L << 20, 0),
                new WorkerStatus(1, 202, "busy", 4, Duration.ZERO, -1, 0, "alpha")));
        List<String> lines = ((String) shown.getData(MIMEType.TEXT_PLAIN)).lines().toList();
        assertTrue(lines.get(0).matches("worker\\s+PID\\s+host\\s+state\\s+tasks\\s+CPU\\s+RSS"), lines.get(0));
        assertTrue(lines.get(1).matches("0\\s+101\\s+localhost\\s+idle\\s+3\\s+1.50 s\\s+50.0 MiB"), lines.get(1));
        assertTrue(lines.get(2).matches("1\\s+202\\s+alpha\\s+busy\\s+4\\s+0.00 s\\s+\\?"), lines.get(2));
        assertTrue(((String) shown.getData(MIMEType.TEXT_HTML)).contains("<td>202</td><td>alpha</td><td>busy</td>"));
    }

    @Test
    void aPoolOnThisMachineAloneHasNoHostColumn() {
        DisplayData shown = PoolMagic.table(List.of(new WorkerStatus(0, 101, "idle", 0, Duration.ZERO, 1L << 20, 0)));
        String text = (String) shown.getData(MIMEType.TEXT_PLAIN);
        assertEquals("worker  PID      state      tasks        CPU       RSS", text.lines().findFirst().orElseThrow());
        assertFalse(text.contains("localhost") || ((String) shown.getData(MIMEType.TEXT_HTML)).contains("host"), text);
    }
}
