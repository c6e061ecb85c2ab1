package org.jparallel.internal.magic;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.jparallel.api.InvalidHostException;
import org.jparallel.kernel.magic.MagicException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code %pool}'s commands and options refused before any pool is started: each bad input is a
 * {@link MagicException} of its own ending with the usage line, and the notebook still has no pool (no JVM
 * is started here). The commands that do start, resize or stop a pool are the kernel tests' part.
 */
class PoolMagicOptionsTest {

    @AfterEach
    void noPoolWasStarted() {
        assertNull(NotebookPool.current(), "a refused %pool command started the notebook's pool");
    }

    /** The first line of the error that {@code %pool WORDS} fails with. */
    private static String refused(String... words) {
        MagicException e = assertThrows(MagicException.class, () -> PoolMagic.line().eval(null, List.of(words)));
        String message = e.getMessage();
        assertTrue(message.endsWith("\nusage: " + PoolMagic.USAGE), message);
        return message.substring(0, message.indexOf('\n'));
    }

    @Test
    void anUnknownCommandOrOptionIsRefused() {
        assertEquals("unknown %pool command begin", refused("begin"));
        assertEquals("unknown option --jvm-option", refused("start", "2", "--jvm-option", "-Xmx1g"));
        assertEquals("--jvm-opt needs a value", refused("start", "--jvm-opt"));
    }

    @Test
    void timelineTakesNoWordAndATraceFileAndWithoutAPoolSaysSoStartingNone() throws Exception {
        assertEquals("unexpected argument now", refused("timeline", "now"));
        assertEquals("--trace needs a value", refused("timeline", "--trace"));
        assertEquals("--trace goes with %pool timeline only", refused("stop", "--trace", "run.json"));
        DisplayData none = assertInstanceOf(DisplayData.class, PoolMagic.line().eval(null, List.of("timeline")));
        assertEquals("no pool: a timeline shows the last run on the notebook's pool", none.getData(MIMEType.TEXT_PLAIN));
    }

    @Test
    void helpShowsTheUsageAlone() throws Exception {
        for (List<String> words : List.of(List.of("help"), List.of("--help"), List.of("-h"), List.of("start", "--help"))) {
            Object shown = PoolMagic.line().eval(null, words);
            DisplayData usage = assertInstanceOf(DisplayData.class, shown, words + " gave " + shown);
            assertEquals("usage: " + PoolMagic.USAGE, usage.getData(MIMEType.TEXT_PLAIN), words.toString());
        }
    }

    @Test
    void startTakesOneWorkerCountOfAtLeastOne() {
        for (String bad : List.of("0", "-1", "four", "2.5")) {
            assertEquals("the number of workers must be a whole number of at least 1, not " + bad, refused("start", bad));
        }
        assertEquals("unexpected argument 3", refused("start", "2", "3"));
    }

    @Test
    void resizeNeedsOneWorkerCountOfAtLeastOneCheckedBeforeThePoolIsTouched() {
        assertEquals("resize needs the new number of workers", refused("resize"));
        assertEquals("resize needs the new number of workers", refused("resize", "2", "3"));
        assertEquals("the number of workers must be a whole number of at least 1, not 0", refused("resize", "0"));
        assertEquals("the number of workers must be a whole number of at least 1, not x", refused("resize", "x"));
    }

    @Test
    void aManagedVariableNeedsOneJavaName() {
        assertEquals("dict needs the name of the notebook variable to declare: %pool dict NAME", refused("dict"));
        assertEquals("list needs the name of the notebook variable to declare: %pool list NAME",
                refused("list", "a", "b"));
        assertEquals("%pool namespace needs a Java variable name, not 1x", refused("namespace", "1x"));
        assertEquals("%pool dict needs a Java variable name, not class, which is a Java keyword",
                refused("dict", "class"));
    }

    /** A malformed entry is an {@link InvalidHostException} quoting it (see RemoteHostTest for the forms). */
    @Test
    void hostsAreHostColonCountSeparatedByCommasAndListenSshOptAndJavaHomeGoWithThem() {
        for (String bad : List.of("alpha:0", "alpha:x", ":2", "alpha,,beta", "alpha,", "fe80::1:2", "[::1")) {
            InvalidHostException e = assertThrows(InvalidHostException.class,
                    () -> PoolMagic.line().eval(null, List.of("start", "--hosts", bad)));
            assertTrue(bad.contains(e.entry().strip()) && e.getMessage().startsWith("not a host: '"), e.getMessage());
        }
        assertEquals("--listen, --ssh-opt and --java-home go with --hosts", refused("start", "--listen", "10.0.0.1"));
        assertEquals("--listen, --ssh-opt and --java-home go with --hosts", refused("start", "2", "--ssh-opt", "-p 2222"));
        assertEquals("--listen, --ssh-opt and --java-home go with --hosts", refused("start", "--java-home", "/opt/jdk-25"));
    }

    @Test
    void slurmNeedsTheJobsWorkerCountAndItsOptionsGoWithIt() {
        assertEquals("--slurm needs the number of workers: %pool start N --slurm", refused("start", "--slurm"));
        assertEquals("--partition goes with --slurm", refused("start", "2", "--partition", "debug"));
        assertEquals("--time, --account, --slurm-opt go with --slurm",
                refused("start", "2", "--time", "10", "--account", "a", "--slurm-opt", "--begin=now"));
        assertEquals("--ssh-opt goes with --hosts", refused("start", "2", "--slurm", "--ssh-opt", "-p 2222"));
        assertEquals("a Slurm option is one word, -x or --name=value as in --constraint=avx512, not 'now'",
                refused("start", "2", "--slurm", "--slurm-opt", "--begin now"));
        assertEquals("--pending-limit must be a positive number of seconds, not 0",
                refused("start", "2", "--slurm", "--pending-limit", "0"));
    }
}
