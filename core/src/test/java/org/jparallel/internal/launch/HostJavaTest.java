package org.jparallel.internal.launch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shell commands that pick a remote worker's {@code java}, run by a real {@code sh} as a host's shell runs them. */
class HostJavaTest {

    @Test
    void theJdkGivenForTheHostsWinsWhetherOrNotItIsThere() throws Exception {
        assertEquals("/opt/jdk 25/bin/java", picked(HostJava.choose("/opt/jdk 25", Path.of("/usr/bin/true"))));
    }

    @Test
    void elseThisJvmsOwnJavaWhereTheHostHasItAtTheSamePath() throws Exception {
        Path own = Path.of(System.getProperty("java.home"), "bin", "java");
        assertEquals(own.toString(), picked(HostJava.choose(null)));
    }

    @Test
    void elseJavaFromThePath(@TempDir Path dir) throws Exception {
        assertEquals("java", picked(HostJava.choose(null, dir.resolve("no jdk's/bin/java"))));
        assertTrue(HostJava.describe(null).endsWith("(if there; else java from its PATH)"), HostJava.describe(null));
        assertEquals("/opt/jdk/bin/java", HostJava.describe("/opt/jdk"));
    }

    /** What {@code sh} sets {@code J} to after the commands. */
    private static String picked(String commands) throws Exception {
        Process sh = new ProcessBuilder("sh", "-c", commands + "; printf %s \"$J\"").redirectErrorStream(true).start();
        String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(sh.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, sh.exitValue(), out);
        return out;
    }
}
