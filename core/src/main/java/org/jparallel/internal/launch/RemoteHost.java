package org.jparallel.internal.launch;

/**
 * Workers on another host, started through ssh.
 *
 * @param destination the host as ssh understands it: a name from the user's ssh config, {@code user@host},
 *                    an address
 * @param workers     how many workers run there; {@link #PROCESSORS} for one per processor it has (see
 *                    {@link SshOptions#withProcessorCounts})
 */
public record RemoteHost(String destination, int workers) {

    /** As many workers as the host has processors, once asked. */
    public static final int PROCESSORS = 0;

    public RemoteHost {
        if (destination == null || destination.isBlank() || destination.startsWith("-")) {
            throw new IllegalArgumentException("an ssh destination is a host name, not '" + destination + "'");
        }
        if (workers < 0) {
            throw new IllegalArgumentException("a host needs at least one worker, not " + workers + " (" + destination + ")");
        }
    }
}
