package org.jparallel.api;

import java.time.Duration;

/**
 * One row of a pool's status: a worker's index, PID, state ({@code starting}, {@code idle},
 * {@code busy}, {@code silent} — it has sent nothing for seconds, see
 * {@link WorkerPool.Builder#livenessLimit} —, {@code stopping} or {@code dead}), tasks done, CPU time
 * used, resident memory, how many jars it was sent, and the host it runs on.
 *
 * @param pid         its process id on its host (on another host, the one its hello named)
 * @param cpuTime     CPU time used; for a worker on another host, as the worker's last heartbeat (every 0.5 s)
 *                    reported it, zero before the first
 * @param rssBytes    resident set size in bytes, or -1 where the operating system does not say; for a worker on
 *                    another host, as its last heartbeat reported it, -1 before the first
 * @param jarsFetched how many classpath jars the worker received from this JVM because its host's jar cache
 *                    lacked them: a jar crosses once per host, so the other workers of a host show 0 for it
 * @param host        {@link #LOCAL} for this machine, else the host as given to the pool (an ssh destination) or
 *                    the name of the Slurm node it runs on
 */
public record WorkerStatus(int index, long pid, String state, long tasksDone, Duration cpuTime, long rssBytes,
                           int jarsFetched, String host) {

    /** The host of a worker on this machine. */
    public static final String LOCAL = "localhost";

    /** A worker on this machine. */
    public WorkerStatus(int index, long pid, String state, long tasksDone, Duration cpuTime, long rssBytes,
                        int jarsFetched) {
        this(index, pid, state, tasksDone, cpuTime, rssBytes, jarsFetched, LOCAL);
    }
}
