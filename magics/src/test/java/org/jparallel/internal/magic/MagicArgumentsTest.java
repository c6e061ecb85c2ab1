package org.jparallel.internal.magic;

import org.jparallel.kernel.magic.MagicException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the magics read their arguments: usage errors for what cannot mean one thing. No JVM is started. */
class MagicArgumentsTest {

    private static final Set<String> WITH_VALUE = Set.of("--map", "--out", "--targets", "--timeout");

    private static MagicArgs parallel(String... words) {
        return MagicArgs.parse(List.of(words), WITH_VALUE, Set.of(), Set.of("--unordered"), "%%parallel ...");
    }

    private static String usageError(Runnable parse) {
        String message = assertThrows(MagicException.class, parse::run).getMessage();
        assertTrue(message.endsWith("\nusage: %%parallel ..."), message);
        return message.substring(0, message.indexOf('\n'));
    }

    @Test
    void targetsWithoutAnIndexAreAUsageErrorNotEveryWorker() {
        assertEquals("--targets needs worker indexes such as 0,2, not ,",
                usageError(() -> ParallelMagic.targets(parallel("--targets", ","))));
        assertEquals("--targets needs worker indexes such as 0,2, not 0,",
                usageError(() -> ParallelMagic.targets(parallel("--targets", "0,"))));
        assertEquals("--targets needs worker indexes such as 0,2, not ",
                usageError(() -> ParallelMagic.targets(parallel("--targets", ""))));
        assertEquals("--targets names worker 1 twice", usageError(() -> ParallelMagic.targets(parallel("--targets", "1,1"))));
        assertEquals("--targets: worker indexes start at 0, not -1",
                usageError(() -> ParallelMagic.targets(parallel("--targets", "-1"))));
        assertEquals(List.of(2, 0), ParallelMagic.targets(parallel("--targets", "2, 0")));
        assertEquals(List.of(), ParallelMagic.targets(parallel()));
    }

    @Test
    void anOptionGivenTwiceIsAUsageErrorUnlessItRepeats() {
        assertEquals("--map is given twice (x:xs and y:ys): give it once",
                usageError(() -> parallel("--map", "x:xs", "--map", "y:ys")));
        MagicArgs pool = MagicArgs.parse(List.of("start", "--jvm-opt", "-Xmx1g", "--jvm-opt", "-Da=b"), Set.of(),
                Set.of("--jvm-opt"), Set.of(), "%pool ...");
        assertEquals(List.of("-Xmx1g", "-Da=b"), pool.all("--jvm-opt"));
        assertEquals(List.of("start"), pool.positional());
    }

    @Test
    void variableNamesAreJavaIdentifiersUnicodeIncludedKeywordsExcluded() {
        assertEquals("straße", parallel("--out", "straße").variableName("--out"));
        assertEquals("Δx_1$", parallel("--out", "Δx_1$").variableName("--out"));
        assertEquals("--out needs a Java variable name, not class, which is a Java keyword",
                usageError(() -> parallel("--out", "class").variableName("--out")));
        assertEquals("--out needs a Java variable name, not null, which is a Java keyword",
                usageError(() -> parallel("--out", "null").variableName("--out")));
        assertEquals("--out needs a Java variable name, not 1st", usageError(() -> parallel("--out", "1st").variableName("--out")));
        assertEquals("--out needs a Java variable name, not a.b", usageError(() -> parallel("--out", "a.b").variableName("--out")));
    }

    @Test
    void theMapSpecIsTwoVariableNamesAroundAColon() {
        assertEquals(new MapSpec("straße", "größen"), MapSpec.of(parallel("--map", "straße:größen")));
        assertEquals("--map needs ELEMENT:VARIABLE, such as x:xs, not xs", usageError(() -> MapSpec.of(parallel("--map", "xs"))));
        assertEquals("--map's element (before the colon) needs a Java variable name, not int, which is a Java keyword",
                usageError(() -> MapSpec.of(parallel("--map", "int:xs"))));
        assertEquals("--map's variable (after the colon) needs a Java variable name, not xs:ys",
                usageError(() -> MapSpec.of(parallel("--map", "x:xs:ys"))));
        assertEquals("--map's element (before the colon) needs a Java variable name, not nothing",
                usageError(() -> MapSpec.of(parallel("--map", ":xs"))));
    }

    @Test
    void unknownOptionsAndMissingValuesAreUsageErrors() {
        assertEquals("unknown option --outt", usageError(() -> parallel("--outt", "r")));
        assertEquals("--out needs a value", usageError(() -> parallel("--out")));
    }
}
