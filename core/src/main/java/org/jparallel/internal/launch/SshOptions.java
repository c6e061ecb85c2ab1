package org.jparallel.internal.launch;

import org.jparallel.api.SlurmJob;

import java.util.List;

/**
 * A pool's workers on other hosts — through ssh, and in a Slurm job — and how to reach them.
 *
 * @param hosts      where ssh starts workers, and how many each
 * @param sshOptions words given to ssh before the destination (such as {@code -F path}, {@code -p 2222})
 * @param listen     the kernel's address the workers dial (TLS), or null for the one this machine routes
 *                   each host (each Slurm node) through
 * @param javaHome   the JDK on the hosts, or null for {@code java} from the remote shell's {@code PATH}
 * @param slurm      the workers of a Slurm job, or null for none
 */
public record SshOptions(List<RemoteHost> hosts, List<String> sshOptions, String listen, String javaHome,
                         SlurmJob slurm) {

    /** No worker on another host. */
    public static final SshOptions NONE = new SshOptions(List.of(), List.of(), null, null);

    public SshOptions {
        hosts = List.copyOf(hosts);
        sshOptions = List.copyOf(sshOptions);
    }

    /** Workers through ssh only. */
    public SshOptions(List<RemoteHost> hosts, List<String> sshOptions, String listen, String javaHome) {
        this(hosts, sshOptions, listen, javaHome, null);
    }

    /** These options with {@code slurm}'s workers too. */
    public SshOptions withSlurm(SlurmJob slurm) {
        return new SshOptions(hosts, sshOptions, listen, javaHome, slurm);
    }

    /** Whether any worker runs elsewhere than on this machine. */
    public boolean remote() {
        return !hosts.isEmpty() || slurm != null;
    }

    /**
     * How many workers run on other hosts (a host of {@link RemoteHost#PROCESSORS} counts 0 until asked), the
     * Slurm job's included.
     */
    public int workers() {
        return hosts.stream().mapToInt(RemoteHost::workers).sum() + (slurm == null ? 0 : slurm.workers());
    }

    /**
     * These options with each host of {@link RemoteHost#PROCESSORS} workers asked, through ssh, how many
     * processors it has.
     *
     * @throws org.jparallel.api.HostLaunchException if such a host cannot be asked
     */
    public SshOptions withProcessorCounts() {
        List<RemoteHost> counted = hosts.stream().map(h -> h.workers() != RemoteHost.PROCESSORS ? h
                : new RemoteHost(h.destination(), SshLauncher.processors(this, h.destination()))).toList();
        return new SshOptions(counted, sshOptions, listen, javaHome, slurm);
    }
}
