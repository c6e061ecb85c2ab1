package org.jparallel.api;

/**
 * Workers could not be started on another host: ssh could not reach it (a name that does not resolve, a
 * port nobody listens on, a refused key), or the host could not run the worker. The message names the host
 * and carries what ssh said on its standard error. Workers of a Slurm job fail with its subclass
 * {@link SlurmLaunchException}.
 */
public class HostLaunchException extends RuntimeException {

    private final String host;

    public HostLaunchException(String host, String message) {
        super(message);
        this.host = host;
    }

    /**
     * The host as it was given to the pool (an ssh destination); for a Slurm job, the node, or {@code slurm} before
     * the job has one.
     */
    public String host() {
        return host;
    }
}
