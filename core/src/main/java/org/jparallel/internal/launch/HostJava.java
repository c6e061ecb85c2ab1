package org.jparallel.internal.launch;

import java.nio.file.Path;

/**
 * Which {@code java} a worker on another host runs: the JDK given for the hosts; else this JVM's own JDK
 * where the host has it at the same path (a shared file system: the same JDK at both ends, so code
 * compiled here, a notebook's cells, loads there: a kernel on JDK 25 with workers on the JDK 17 of the
 * hosts' {@code PATH} failed every task with {@code UnsupportedClassVersionError}); else {@code java}
 * from the remote shell's {@code PATH}.
 */
final class HostJava {

    private HostJava() {
    }

    /** Shell commands that set {@code J} to the host's {@code java}; run it as {@code exec "$J" ...}. */
    static String choose(String javaHome) {
        return choose(javaHome, own());
    }

    /** {@link #choose(String)} with {@code own} as this JVM's {@code java}. */
    static String choose(String javaHome, Path own) {
        if (javaHome != null) {
            return "J=" + HostCommands.quoted(javaHome + "/bin/java");
        }
        return "J=" + HostCommands.quoted(own.toString()) + "; [ -x \"$J\" ] || J=java";
    }

    /** The {@code java} {@link #choose} picks, in words, for an error. */
    static String describe(String javaHome) {
        return javaHome != null ? javaHome + "/bin/java" : own() + " (if there; else java from its PATH)";
    }

    private static Path own() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }
}
