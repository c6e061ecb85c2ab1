package org.jparallel.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The test hosts {@code .ci/hosts.sh up} builds on this machine (two network namespaces with an sshd
 * each, a one-node Slurm cluster), as {@code hosts.sh status} describes them. Tests that need them are
 * named {@code *HostsIT} and call {@link #require}: when the hosts are not up, such a test is skipped
 * with a loud message saying how to make them, except under {@code CI=true}, where it fails.
 */
public final class TestHosts {

    /** A hex run as long as half a pool's secret: nothing of the sort belongs on a worker's command line. */
    private static final Pattern SECRET_LIKE = Pattern.compile("[0-9a-fA-F]{32,}");

    private final Map<String, String> status;

    private TestHosts(Map<String, String> status) {
        this.status = status;
    }

    /** The hosts, up; skips the calling test (fails it under CI=true) when they are not. */
    public static TestHosts require() {
        Path script = script();
        Map<String, String> status = new LinkedHashMap<>();
        boolean up = false;
        String why;
        try {
            Process p = new ProcessBuilder("bash", script.toString(), "status").redirectErrorStream(true).start();
            for (String line : new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    status.put(line.substring(0, eq), line.substring(eq + 1).replace("\"", ""));
                }
            }
            up = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
            why = up ? "" : "hosts.sh status says: " + status;
        } catch (IOException e) {
            why = "could not run " + script + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            why = "interrupted";
        }
        if (!up) {
            String message = "THE TEST HOSTS ARE NOT UP, so this test cannot run: make them with `sudo " + script
                    + " up` (and `down` after); " + why;
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(message + " (CI=true: .ci/run makes them)");
            }
            System.err.println("*** SKIPPED: " + message);
            Assumptions.abort(message);
        }
        return new TestHosts(status);
    }

    /** {@code .ci/hosts.sh}, found from the working directory up (a module's directory under Maven). */
    private static Path script() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(".ci").resolve("hosts.sh");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError(".ci/hosts.sh not found above " + Path.of("").toAbsolutePath());
    }

    /** The ssh config with {@code Host alpha} and {@code Host beta}, key and known_hosts made for the run. */
    public Path sshConfig() {
        return Path.of(get("JP_HOSTS_SSH_CONFIG"));
    }

    /** The one-node Slurm cluster's configuration (srun, sbatch and squeue find it in SLURM_CONF). */
    public Path slurmConf() {
        return Path.of(get("JP_SLURM_CONF"));
    }

    /** The Slurm cluster's partition ({@code debug}), whose one node is this machine. */
    public String slurmPartition() {
        return get("JP_SLURM_PARTITION");
    }

    /** The name of the Slurm cluster's one node (this machine's host name). */
    public String slurmNode() {
        return get("JP_SLURM_NODE");
    }

    /** The network namespace host {@code name} ({@code alpha}, {@code beta}) runs in. */
    public String netns(String name) {
        return get("JP_HOST_" + name.toUpperCase() + "_NETNS");
    }

    /** Host {@code name}'s own address, inside its namespace. */
    public InetAddress address(String name) {
        return inet(get("JP_HOST_" + name.toUpperCase() + "_ADDRESS"));
    }

    /** The address of this machine that host {@code name} reaches: where a kernel listens for its workers. */
    public InetAddress kernelAddress(String name) {
        return inet(get("JP_HOST_" + name.toUpperCase() + "_KERNEL_ADDRESS"));
    }

    /** What {@code command} (run on this machine) printed; fails unless it exits with 0 within 30 s. */
    public static String run(String... command) {
        Ran ran = execute(command);
        if (!ran.succeeded()) {
            throw new AssertionError(String.join(" ", command) + " failed: " + ran.output());
        }
        return ran.output();
    }

    /** What {@code command} printed, whatever its exit status. */
    public static String outputOf(String... command) {
        return execute(command).output();
    }

    private record Ran(String output, boolean succeeded) {
    }

    private static Ran execute(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Ran(out, p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Fails if process {@code pid}'s command line has a word like a secret (32 hex digits or more, other than a
     * jar cache's file names, which are digests) or a PEM block.
     */
    public static void assertNoSecretOn(long pid) {
        String line = commandLine(pid).replaceAll("[0-9a-f]{64}\\.jar", "SHA.jar");
        if (SECRET_LIKE.matcher(line).find() || line.contains("PRIVATE KEY") || line.contains("CERTIFICATE")) {
            throw new AssertionError("process " + pid + " has a secret-like word on its command line: " + line);
        }
    }

    /** Process {@code pid}'s command line, its words separated by spaces; empty if it ended. */
    public static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException e) {
            return ""; // it ended meanwhile
        }
    }

    /** The network namespace of process {@code pid} of this machine, as {@code /proc/PID/ns/net} names it. */
    public static String netnsOf(long pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", "net")).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String get(String key) {
        String value = status.get(key);
        if (value == null) {
            throw new AssertionError("hosts.sh status has no " + key + ": " + status);
        }
        return value;
    }

    private static InetAddress inet(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal address: no lookup
        } catch (IOException e) {
            throw new AssertionError("not an address: " + literal, e);
        }
    }
}
