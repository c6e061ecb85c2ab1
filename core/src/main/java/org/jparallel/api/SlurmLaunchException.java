package org.jparallel.api;

/**
 * A pool's Slurm job could not give it workers: Slurm refused the request (a partition or account that does
 * not exist, a time limit over the partition's), the job pended longer than its limit (the message says
 * {@code squeue}'s reason, such as {@code Resources} or {@code BeginTime}; the job was cancelled), or a node
 * could not run the worker. The message quotes what Slurm said.
 */
public class SlurmLaunchException extends HostLaunchException {

    private final long jobId;

    public SlurmLaunchException(long jobId, String host, String message) {
        super(host, message);
        this.jobId = jobId;
    }

    /** The job's id, or -1 if Slurm made none. */
    public long jobId() {
        return jobId;
    }
}
