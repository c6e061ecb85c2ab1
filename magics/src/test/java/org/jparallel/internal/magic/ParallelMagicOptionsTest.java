package org.jparallel.internal.magic;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.jparallel.kernel.magic.MagicException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every option of {@code %%parallel} and {@code %parallel}: the forms that parse, and for each bad input a
 * {@link MagicException} of its own, naming the option and the value and ending with the usage line. The bad
 * inputs go through the magic itself with no kernel: each is refused before the notebook or its pool is
 * touched, so no JVM is started.
 */
class ParallelMagicOptionsTest {

    private static MagicArgs parsed(String... words) {
        return MagicArgs.parse(List.of(words), ParallelMagic.WITH_VALUE, Set.of(), ParallelMagic.FLAGS,
                ParallelMagic.USAGE);
    }

    /** The first line of the error that {@code %%parallel WORDS} with {@code body} fails with. */
    private static String refusedCell(String body, String... words) {
        MagicException e = assertThrows(MagicException.class,
                () -> ParallelMagic.cell().eval(null, List.of(words), body));
        String message = e.getMessage();
        assertTrue(message.endsWith("\nusage: " + ParallelMagic.USAGE), message);
        return message.substring(0, message.indexOf('\n'));
    }

    private static String refused(String... words) {
        return refusedCell("x * x", words);
    }

    @Test
    void everyOptionOfARunOnEveryWorkerParses() {
        MagicArgs args = parsed("-n", "3", "--targets", "0,2", "--out", "rs", "--timeout", "1.5", "--no-progress");
        assertEquals(3, args.positiveInt("-n", 0));
        assertEquals(List.of(0, 2), ParallelMagic.targets(args));
        assertEquals("rs", args.variableName("--out"));
        assertEquals(1500, args.seconds("--timeout"));
        assertTrue(args.flag("--no-progress"));
        assertEquals(List.of(), args.positional());
    }

    @Test
    void everyOptionOfAMapParses() {
        MagicArgs args = parsed("--map", "x:xs", "--out", "ys", "--chunksize", "4", "--unordered", "--fail-fast",
                "--timeout", "20");
        assertEquals(new MapSpec("x", "xs"), MapSpec.of(args));
        assertEquals("ys", args.variableName("--out"));
        assertEquals(4, args.positiveInt("--chunksize", 0));
        assertTrue(args.flag("--unordered"));
        assertTrue(args.flag("--fail-fast"));
        assertEquals(20_000, args.seconds("--timeout"));
    }

    @Test
    void absentOptionsTakeTheirDefaults() {
        MagicArgs args = parsed();
        assertEquals(0, args.positiveInt("-n", 0), "no -n: the pool as it is");
        assertEquals(List.of(), ParallelMagic.targets(args), "no --targets: every worker");
        assertNull(args.variableName("--out"));
        assertEquals(0, args.seconds("--timeout"), "no --timeout: no limit");
        assertFalse(args.flag("--no-progress"));
        assertFalse(args.flag("--unordered"));
    }

    @Test
    void aTimeoutIsAnyPositiveNumberOfSecondsAtLeastAMillisecond() {
        assertEquals(1, parsed("--timeout", "0.0001").seconds("--timeout"));
        assertEquals(250, parsed("--timeout", "0.25").seconds("--timeout"));
        for (String bad : List.of("0", "-1", "soon", "NaN", "")) {
            assertEquals("--timeout must be a positive number of seconds, not " + bad, refused("--timeout", bad));
        }
    }

    @Test
    void aWorkerCountIsAWholeNumberOfAtLeastOne() {
        for (String bad : List.of("0", "-2", "two", "1.5", "99999999999")) {
            assertEquals("-n must be a whole number of at least 1, not " + bad, refused("-n", bad));
        }
    }

    @Test
    void badTargetsAreRefusedEachWithItsReason() {
        assertEquals("--targets needs worker indexes such as 0,2, not 0;2", refused("--targets", "0;2"));
        assertEquals("--targets needs worker indexes such as 0,2, not first", refused("--targets", "first"));
        assertEquals("--targets: worker indexes start at 0, not -3", refused("--targets", "1,-3"));
        assertEquals("--targets names worker 2 twice", refused("--targets", "2,0,2"));
    }

    @Test
    void aChunkSizeIsAWholeNumberOfAtLeastOne() {
        for (String bad : List.of("0", "-1", "many")) {
            assertEquals("--chunksize must be a whole number of at least 1, not " + bad,
                    refused("--map", "x:xs", "--chunksize", bad));
        }
    }

    @Test
    void theOutputVariableMustBeAJavaName() {
        assertEquals("--out needs a Java variable name, not 2x", refused("--out", "2x"));
        assertEquals("--out needs a Java variable name, not enum, which is a Java keyword", refused("--out", "enum"));
        assertEquals("--out needs a Java variable name, not a-b", refused("--map", "x:xs", "--out", "a-b"));
    }

    @Test
    void aBadMapSpecIsRefusedBeforeTheNotebookIsRead() {
        assertEquals("--map needs ELEMENT:VARIABLE, such as x:xs, not xs", refused("--map", "xs"));
        assertEquals("--map's variable (after the colon) needs a Java variable name, not nothing",
                refused("--map", "x:"));
        assertEquals("--map's element (before the colon) needs a Java variable name, not this, which is a Java keyword",
                refused("--map", "this:xs"));
    }

    @Test
    void optionsOfOneKindOfRunAreRefusedWithTheOther() {
        assertEquals("-n does not apply with --map (elements go to whichever worker is free)",
                refused("--map", "x:xs", "-n", "2"));
        assertEquals("--targets does not apply with --map (elements go to whichever worker is free)",
                refused("--map", "x:xs", "--targets", "0"));
        assertEquals("--chunksize only applies with --map", refused("--chunksize", "2"));
        assertEquals("--unordered only applies with --map", refused("--unordered"));
        assertEquals("--fail-fast only applies with --map", refused("-n", "2", "--fail-fast"));
    }

    @Test
    void wordsThatAreNotOptionsAndCellsWithoutCodeAreRefused() {
        assertEquals("unexpected argument xs (the code goes on the lines below)", refused("xs"));
        assertEquals("the cell has no code to run", refusedCell(" \n\t", "-n", "2"));
        assertEquals("unknown option --chunk-size", refused("--map", "x:xs", "--chunk-size", "2"));
        assertEquals("unknown option -t", refused("-t", "5"));
        assertEquals("--timeout needs a value", refused("--timeout"));
        assertEquals("--out is given twice (a and b): give it once", refused("--out", "a", "--out", "b"));
    }

    @Test
    void helpShowsTheUsageAloneAndRunsNothing() throws Exception {
        for (List<String> words : List.of(List.of("--help"), List.of("-h"), List.of("--map", "x:xs", "--help"))) {
            for (String body : List.of("x * x", "")) {
                Object shown = ParallelMagic.cell().eval(null, words, body); // no kernel: nothing may be compiled
                DisplayData usage = assertInstanceOf(DisplayData.class, shown, words + " gave " + shown);
                assertEquals("usage: " + ParallelMagic.USAGE, usage.getData(MIMEType.TEXT_PLAIN), words.toString());
            }
        }
    }

    @Test
    void theLineMagicWithoutAStatementSaysWhatItRuns() {
        MagicException e = assertThrows(MagicException.class, () -> ParallelMagic.line().eval(null, List.of()));
        assertEquals("usage: %parallel STATEMENT (runs one line on every worker)", e.getMessage());
    }

    /**
     * A background run needs a variable to hold it (nothing else could wait for it or stop it), and does not
     * take --unordered (the run handle gives both orders); both are refused before the notebook is read.
     */
    @Test
    void aBackgroundRunNeedsAVariableForItsHandleAndGivesBothOrdersItself() {
        assertTrue(parsed("--map", "x:xs", "--out", "r", "--background").flag("--background"));
        assertEquals("--background needs --out NAME, the variable that holds the run: NAME.get() waits for its results,"
                + " NAME.cancel() stops it", refused("--map", "x:xs", "--background"));
        assertEquals("--background needs --out NAME, the variable that holds the run: NAME.get() waits for its results,"
                + " NAME.cancel() stops it", refused("--background", "-n", "2"));
        assertEquals("--unordered does not apply with --background: r holds the run, whose resultsByArrival() lists"
                + " the results in the order they came", refused("--map", "x:xs", "--out", "r", "--background", "--unordered"));
    }

    /** How a display closes after its run ended, from what the run's future completed with. */
    @Test
    void aDisplayClosesWithTheStateTheRunEndedIn() {
        assertEquals(ProgressView.State.DONE, ProgressDisplay.outcome(null));
        assertEquals(ProgressView.State.DONE, ProgressDisplay.outcome(new java.util.concurrent.CompletionException(
                new org.jparallel.api.WorkerException(List.of()))), "failed elements: the counts say so");
        assertEquals(ProgressView.State.TIMED_OUT, ProgressDisplay.outcome(
                new java.util.concurrent.CancellationException("timed out after 0.5 s: 3 element(s) had finished")));
        assertEquals(ProgressView.State.CANCELLED, ProgressDisplay.outcome(new java.util.concurrent.CompletionException(
                new java.util.concurrent.CancellationException("cancelled: 3 element(s) had finished"))));
        assertEquals(ProgressView.State.FAILED, ProgressDisplay.outcome(new IllegalStateException("the input threw")));
    }
}
