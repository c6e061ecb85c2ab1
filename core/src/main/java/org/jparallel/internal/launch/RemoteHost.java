package org.jparallel.internal.launch;

/**
 * Workers on another host, started through ssh.
 *
 * @param destination the host as ssh understands it: a name from the user's ssh config, {@code user@host},
 *                    an address
 * @param workers     how many workers run there
 */
public record RemoteHost(String destination, int workers) {
    public RemoteHost {
        if (destination == null || destination.isBlank() || destination.startsWith("-")) {
            throw new IllegalArgumentException("an ssh destination is a host name, not '" + destination + "'");
        }
        if (workers < 1) {
            throw new IllegalArgumentException("a host needs at least one worker, not " + workers + " (" + destination + ")");
        }
    }
}
