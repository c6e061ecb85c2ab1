package org.jparallel.internal.launch;

import org.jparallel.api.WorkerIdentity;
import org.jparallel.internal.code.ClasspathJar;
import org.jparallel.internal.worker.WorkerMain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A worker JVM as another host's shell starts it, whatever reaches that shell ({@link RemoteShell}): the JDK
 * there ({@link HostJava}), the class path by content in the user's jar cache there ({@link RemoteClasspath}),
 * the worker's flags, and {@code WorkerMain} dialling the kernel over TLS.
 */
final class RemoteJava {

    /** How long checking a host may take: reaching it, then {@code java -version} there. */
    static final long CHECK_SECONDS = 30;
    private final String javaHome;
    private final RemoteClasspath classpath;
    private final List<String> jvmOptions;

    /**
     * Workers with this class path (put in the jar cache here now) and extra JVM options, run by the JDK in
     * {@code javaHome} on the hosts (null: as {@link HostJava} chooses).
     */
    RemoteJava(String javaHome, String classpath, List<String> jvmOptions) {
        this.javaHome = javaHome;
        try {
            this.classpath = RemoteClasspath.of(classpath);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot put the workers' class path in the jar cache: " + e.getMessage(), e);
        }
        this.jvmOptions = List.copyOf(jvmOptions);
    }


    /**
     * Checks that {@code shell} reaches {@code host} and that the JDK's {@code java} runs there — the failures
     * that would otherwise show only as workers that never say hello —, and copies there the class path's jars
     * its cache lacks.
     *
     * @param unreachable the exit status of {@code shell}'s own failure to reach the host (ssh's 255), or -1
     * @throws RuntimeException {@code shell}'s {@link RemoteShell#failure}, naming the host and what was said
     */
    void prepare(String host, RemoteShell shell, int unreachable, String shellName) {
        HostCommands.Result result = HostCommands.run(shell.command(host, RemoteClasspath.CACHE + "; "
                + classpath.listMissing() + "; " + HostJava.choose(javaHome) + "; exec \"$J\" -version"), null,
                CHECK_SECONDS);
        String said = result.said().lines().filter(l -> !l.startsWith(RemoteClasspath.MISSING))
                .collect(Collectors.joining("\n"));
        if (result.status() == unreachable) {
            throw shell.failure(host, shellName + " cannot reach host '" + host + "': " + said);
        }
        if (result.status() != 0) {
            throw shell.failure(host, "host '" + host + "' cannot run " + HostJava.describe(javaHome)
                    + " (exit status " + result.status() + "): " + said);
        }
        for (ClasspathJar jar : classpath.missing(result.said())) {
            HostCommands.Result copied = HostCommands.run(shell.command(host, RemoteClasspath.receive(jar)),
                    jar.file().toFile(), CHECK_SECONDS);
            if (copied.status() != 0) {
                throw shell.failure(host, "cannot copy " + jar.name() + " to host '" + host + "''s jar cache (exit status "
                        + copied.status() + "): " + copied.said());
            }
        }
    }

    /**
     * The shell command that runs worker {@code index} there, dialling {@code kernel} as {@code peer}; {@code
     * more} are {@code WorkerMain}'s words after {@code tls} (already shell words). The shell execs the JVM, so
     * the worker is the process of whatever started the shell.
     */
    String workerScript(InetSocketAddress kernel, int peer, int index, String name, String more) {
        // a local worker's flags (the user's after them, winning), but for its class-data archive, which is this
        // machine's: a host's JVM maps the JDK's default archive (-Xshare:auto)
        List<String> java = new ArrayList<>(WorkerLauncher.BASE_FLAGS);
        java.addAll(WorkerLauncher.sharingFlags(jvmOptions));
        java.addAll(jvmOptions);
        java.add("-D" + WorkerIdentity.INDEX_PROPERTY + "=" + index);
        java.add("-D" + WorkerIdentity.NAME_PROPERTY + "=" + name);
        java.add("-cp");
        String address = kernel.getAddress().getHostAddress();
        // an IPv6 address in brackets, as WorkerMain reads it; its zone, if any, names this machine's interface
        List<String> main = List.of(WorkerMain.class.getName(),
                (kernel.getAddress() instanceof Inet6Address ? "[" + address + "]" : address) + ":" + kernel.getPort(),
                Integer.toString(peer), "tls");
        // the class path is the host's cache, which its shell finds
        return RemoteClasspath.CACHE + "; " + HostJava.choose(javaHome) + "; exec \"$J\" " + HostCommands.words(java)
                + " " + classpath.shellWord() + " " + HostCommands.words(main) + (more.isEmpty() ? "" : " " + more);
    }

    /** What a worker reads before anything else: the pool's secret (a hex line), then its TLS credentials (PEM). */
    static byte[] secrets(byte[] secret, byte[] credentials) {
        byte[] line = (HexFormat.of().formatHex(secret) + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[line.length + credentials.length];
        System.arraycopy(line, 0, all, 0, line.length);
        System.arraycopy(credentials, 0, all, line.length, credentials.length);
        return all;
    }
}
