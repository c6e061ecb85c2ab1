package org.jparallel.internal.launch;

import org.jparallel.api.HostLaunchException;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

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
public final class SshLauncher implements RemoteShell, RemoteLauncher {

    /** How long ssh may take to connect before it gives up: an unreachable host fails the pool's start. */
    static final int CONNECT_SECONDS = 10;
    static final int ALIVE_SECONDS = 5;
    static final int ALIVE_COUNT = 3;
    /** ssh's exit status for its own failure (the host unreachable, the key refused), not the remote command's. */
    private static final int SSH_FAILED = 255;

    private final SshOptions options;
    private final RemoteJava java;

    /**
     * A launcher of workers on {@code options}' hosts, with this class path (shipped by content, see
     * {@link RemoteClasspath}) and extra JVM options.
     */
    public SshLauncher(SshOptions options, String classpath, List<String> jvmOptions) {
        this.options = options;
        this.java = new RemoteJava(options.javaHome(), classpath, jvmOptions);
    }

    /**
     * Checks that ssh reaches {@code destination} and that it runs the JDK's {@code java} there — the failures
     * that would otherwise show only as workers that never say hello —, and copies there the class path's jars
     * its cache lacks.
     *
     * @throws HostLaunchException naming the host and what ssh or the remote shell said
     */
    public void check(String destination) {
        java.prepare(destination, this, SSH_FAILED, "ssh");
    }

    /**
     * How many processors {@code destination} has ({@code getconf _NPROCESSORS_ONLN} there).
     *
     * @throws HostLaunchException if ssh cannot reach it or it does not say
     */
    static int processors(SshOptions options, String destination) {
        HostCommands.Result result = HostCommands.run(ssh(options, destination, "getconf _NPROCESSORS_ONLN"), null,
                RemoteJava.CHECK_SECONDS);
        if (result.status() == 0 && result.said().matches("\\d+") && Integer.parseInt(result.said()) > 0) {
            return Integer.parseInt(result.said());
        }
        throw new HostLaunchException(destination, (result.status() == SSH_FAILED ? "ssh cannot reach host '"
                : "cannot count the processors of host '") + destination + "': " + result.said());
    }

    /**
     * The address of this machine that {@code destination}'s traffic leaves from: where a worker there can
     * reach the kernel. Found from the host's address as ssh's config resolves it ({@link Routes}).
     */
    public InetAddress routeTo(String destination) {
        HostCommands.Result config = HostCommands.run(sshWith("-G", destination), null, RemoteJava.CHECK_SECONDS);
        String host = config.said().lines().filter(l -> l.startsWith("hostname ")).map(l -> l.substring(9).strip())
                .findFirst().orElse(destination);
        return Routes.localAddressTowards(destination, host, HostLaunchException::new);
    }

    /**
     * Starts one worker on {@code destination} that dials {@code kernel}; writes the secret and the TLS
     * credentials (three PEM blocks) to ssh's standard input, which the caller keeps open.
     */
    @Override
    public WorkerLauncher.Launched launch(String destination, InetSocketAddress kernel, int peer, int index,
                                          String name, byte[] secret, byte[] credentials) throws IOException {
        // ssh hands the remote shell one string, which execs the worker: it is sshd's session's process
        ProcessBuilder builder = new ProcessBuilder(command(destination, java.workerScript(kernel, peer, index, name, "")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.PIPE);
        builder.environment().remove("JPY_PARENT_PID");
        Process process = builder.start();
        OutputStream stdin = process.getOutputStream();
        try {
            stdin.write(RemoteJava.secrets(secret, credentials));
            stdin.flush();
        } catch (IOException e) {
            process.destroyForcibly();
            throw e;
        }
        return new WorkerLauncher.Launched(process, stdin, "ssh");
    }

    @Override
    public List<String> command(String destination, String script) {
        return ssh(options, destination, script);
    }

    @Override
    public RuntimeException failure(String host, String message) {
        return new HostLaunchException(host, message);
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
}
