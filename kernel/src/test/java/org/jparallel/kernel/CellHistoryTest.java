package org.jparallel.kernel;

import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.kernel.history.HistoryManager.ResultFlag;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class CellHistoryTest {

    private static List<String> inputs(List<HistoryEntry> entries) {
        return entries.stream().map(HistoryEntry::getInput).collect(Collectors.toList());
    }

    private static CellHistory sample() {
        CellHistory h = new CellHistory();
        h.record(1, "int a = 1;", null);
        h.record(2, "a + 1", "2");
        h.record(3, "System.out.println(a);", null);
        h.record(4, "a + 1", "2");
        return h;
    }

    @Test
    void tailAndRange() {
        CellHistory h = sample();
        assertEquals(List.of("System.out.println(a);", "a + 1"), inputs(h.lookupTail(2, EnumSet.noneOf(ResultFlag.class))));
        assertEquals(List.of("a + 1", "System.out.println(a);"), inputs(h.lookupRange(0, 2, 4, EnumSet.noneOf(ResultFlag.class))));
        assertEquals(List.of(), inputs(h.lookupRange(-1, 1, 5, EnumSet.noneOf(ResultFlag.class))));
    }

    @Test
    void outputOnlyWhenAsked() {
        CellHistory h = sample();
        assertNull(h.lookupTail(1, EnumSet.noneOf(ResultFlag.class)).get(0).getOutput());
        assertEquals("2", h.lookupTail(1, EnumSet.of(ResultFlag.INCLUDE_OUTPUT)).get(0).getOutput());
    }

    @Test
    void globSearchWithUnique() {
        CellHistory h = sample();
        assertEquals(List.of("a + 1", "a + 1"), inputs(h.search("a ?*", 10, EnumSet.noneOf(ResultFlag.class))));
        assertEquals(List.of("a + 1"), inputs(h.search("a*", 10, EnumSet.of(ResultFlag.UNIQUE))));
        assertEquals(List.of("int a = 1;"), inputs(h.search("[i]nt*", 10, EnumSet.noneOf(ResultFlag.class))));
    }
}
