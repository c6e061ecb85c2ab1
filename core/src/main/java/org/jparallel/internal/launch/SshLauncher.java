package org.jparallel.internal.launch;

import org.jparallel.api.HostLaunchException;
import org.jparallel.api.WorkerIdentity;
import org.jparallel.internal.code.ClasspathJar;
import org.jparallel.internal.worker.WorkerMain;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Starts worker JVMs on other hosts through the user's own {@code ssh} (so their ssh config, keys and agent
 * apply). The worker dials back to the kernel through TLS ({@code WorkerMain <address>:<port> <peer> tls}); the
 * pool's secret and the worker's TLS credentials go on ssh's standard input, which stays open for the worker's
 * life: when the kernel goes, ssh goes, sshd closes the worker's standard input and the worker halts.
 *
 * <p>ssh runs in batch mode (a password prompt would hang the cell) with a connect timeout, and sends
 * keep-alives, so a host that drops off ends its ssh, and so its workers' lives in the pool, within
 * {@link #ALIVE_SECONDS} times {@link #ALIVE_COUNT} seconds.
 */
public final class SshLauncher {

    /** How long ssh may take to connect before it gives up: an unreachable host fails the pool's start. */
    static final int CONNECT_SECONDS = 10;
    static final int ALIVE_SECONDS = 5;
    static final int ALIVE_COUNT = 3;
    /** How long checking a host may take: connecting, then {@code java -version} there. */
    private static final long CHECK_SECONDS = CONNECT_SECONDS + 20;

    private final SshOptions options;
    private final RemoteClasspath classpath;
    private final List<String> jvmOptions;

    /**
     * A launcher of workers on {@code options}' hosts, with this class path (shipped by content, see
     * {@link RemoteClasspath}) and extra JVM options.
     */
    public SshLauncher(SshOptions options, String classpath, List<String> jvmOptions) {
        this.options = options;
        try {
            this.classpath = RemoteClasspath.of(classpath);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot put the workers' class path in the jar cache: " + e.getMessage(), e);
        }
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /**
     * Checks that ssh reaches {@code destination} and that it runs the JDK's {@code java} there — the failures
     * that would otherwise show only as workers that never say hello —, and copies there the class path's jars
     * its cache lacks.
     *
     * @throws HostLaunchException naming the host and what ssh or the remote shell said
     */
    public void check(String destination) {
        Result result = run(ssh(destination, RemoteClasspath.CACHE + "; " + classpath.listMissing() + "; "
                + HostJava.choose(options.javaHome()) + "; exec \"$J\" -version"), null, CHECK_SECONDS);
        String said = result.said.lines().filter(l -> !l.startsWith(RemoteClasspath.MISSING))
                .collect(Collectors.joining("\n"));
        if (result.status == 255) {
            throw new HostLaunchException(destination, "ssh cannot reach host '" + destination + "': " + said);
        }
        if (result.status != 0) {
            throw new HostLaunchException(destination, "host '" + destination + "' cannot run "
                    + HostJava.describe(options.javaHome()) + " (exit status " + result.status + "): " + said);
        }
        for (ClasspathJar jar : classpath.missing(result.said)) {
            Result copied = run(ssh(destination, RemoteClasspath.receive(jar)), jar.file().toFile(), CHECK_SECONDS);
            if (copied.status != 0) {
                throw new HostLaunchException(destination, "cannot copy " + jar.name() + " to host '" + destination
                        + "''s jar cache (exit status " + copied.status + "): " + copied.said);
            }
        }
    }

    /**
     * How many processors {@code destination} has ({@code getconf _NPROCESSORS_ONLN} there).
     *
     * @throws HostLaunchException if ssh cannot reach it or it does not say
     */
    static int processors(SshOptions options, String destination) {
        Result result = run(ssh(options, destination, "getconf _NPROCESSORS_ONLN"), null, CHECK_SECONDS);
        if (result.status == 0 && result.said.matches("\\d+") && Integer.parseInt(result.said) > 0) {
            return Integer.parseInt(result.said);
        }
        throw new HostLaunchException(destination, (result.status == 255 ? "ssh cannot reach host '" : "cannot count the processors of host '")
                + destination + "': " + result.said);
    }

    /**
     * The address of this machine that {@code destination}'s traffic leaves from: where a worker there can
     * reach the kernel. Found without sending anything, by connecting a UDP socket to the host's address (as
     * ssh's config resolves it) and reading the local address the kernel's routing chose.
     */
    public InetAddress routeTo(String destination) {
        Result config = run(sshWith("-G", destination), null, CHECK_SECONDS);
        String host = config.said.lines().filter(l -> l.startsWith("hostname ")).map(l -> l.substring(9).strip())
                .findFirst().orElse(destination);
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.connect(new InetSocketAddress(InetAddress.getByName(host), 9));
            InetAddress local = socket.getLocalAddress();
            if (local.isAnyLocalAddress()) {
                throw new HostLaunchException(destination, "no route from this machine to host '" + destination
                        + "' (" + host + "): give the address to listen on");
            }
            return local;
        } catch (UnknownHostException e) {
            throw new HostLaunchException(destination, "host '" + destination + "' (" + host + ") does not resolve");
        } catch (SocketException e) {
            throw new HostLaunchException(destination, "no route from this machine to host '" + destination
                    + "' (" + host + "): " + e.getMessage());
        }
    }

    /**
     * Starts one worker on {@code destination} that dials {@code kernel}; writes the secret and the TLS
     * credentials (three PEM blocks) to ssh's standard input, which the caller keeps open.
     */
    public WorkerLauncher.Launched launch(String destination, InetSocketAddress kernel, int peer, int index,
                                          String name, byte[] secret, byte[] credentials) throws IOException {
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
        // ssh hands the remote shell one string: each word quoted, exec so the worker is sshd's session's process;
        // the class path is the host's cache, which the shell finds
        String remote = RemoteClasspath.CACHE + "; " + HostJava.choose(options.javaHome()) + "; exec \"$J\" "
                + words(java) + " " + classpath.shellWord() + " " + words(main);
        ProcessBuilder builder = new ProcessBuilder(ssh(destination, remote))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.PIPE);
        builder.environment().remove("JPY_PARENT_PID");
        Process process = builder.start();
        OutputStream stdin = process.getOutputStream();
        try {
            stdin.write((HexFormat.of().formatHex(secret) + "\n").getBytes(StandardCharsets.US_ASCII));
            stdin.write(credentials);
            stdin.flush();
        } catch (IOException e) {
            process.destroyForcibly();
            throw e;
        }
        return new WorkerLauncher.Launched(process, stdin);
    }

    private static String words(List<String> words) {
        return words.stream().map(SshLauncher::quoted).collect(Collectors.joining(" "));
    }

    private List<String> ssh(String destination, String remoteCommand) {
        return ssh(options, destination, remoteCommand);
    }

    private static List<String> ssh(SshOptions options, String destination, String remoteCommand) {
        List<String> command = new ArrayList<>(List.of("ssh", "-o", "BatchMode=yes",
                "-o", "ConnectTimeout=" + CONNECT_SECONDS, "-o", "ServerAliveInterval=" + ALIVE_SECONDS,
                "-o", "ServerAliveCountMax=" + ALIVE_COUNT));
        command.addAll(options.sshOptions());
        command.add(destination);
        command.add(remoteCommand);
        return command;
    }

    /** ssh with the user's options, then {@code words}. */
    private List<String> sshWith(String... words) {
        List<String> command = new ArrayList<>(List.of("ssh"));
        command.addAll(options.sshOptions());
        command.addAll(List.of(words));
        return command;
    }

    private record Result(int status, String said) {
    }

    /**
     * Runs a command to its end (killed past {@code seconds}), its standard input {@code input} (null for none):
     * its exit status and what it printed.
     */
    private static Result run(List<String> command, File input, long seconds) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(input == null ? new File("/dev/null") : input)).start();
            // read on this thread: ssh's output is a few lines; the time limit is ssh's own connect timeout
            String said = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                return new Result(255, "no answer within " + seconds + " s");
            }
            return new Result(process.exitValue(), said);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking a host", e);
        }
    }

    /** A word for a POSIX shell, in single quotes. */
    static String quoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
