package org.jparallel.internal.launch;

import java.util.List;

/**
 * A pool's workers on other hosts and how to reach them.
 *
 * @param hosts      where, and how many workers each
 * @param sshOptions words given to ssh before the destination (such as {@code -F path}, {@code -p 2222})
 * @param listen     the kernel's address the workers dial (TLS), or null for the one this machine routes
 *                   each host through
 * @param javaHome   the JDK on the hosts, or null for {@code java} from the remote shell's {@code PATH}
 */
public record SshOptions(List<RemoteHost> hosts, List<String> sshOptions, String listen, String javaHome) {

    /** No worker on another host. */
    public static final SshOptions NONE = new SshOptions(List.of(), List.of(), null, null);

    public SshOptions {
        hosts = List.copyOf(hosts);
        sshOptions = List.copyOf(sshOptions);
    }

    /** How many workers run on other hosts (a host of {@link RemoteHost#PROCESSORS} counts 0 until asked). */
    public int workers() {
        return hosts.stream().mapToInt(RemoteHost::workers).sum();
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
        return new SshOptions(counted, sshOptions, listen, javaHome);
    }
}
