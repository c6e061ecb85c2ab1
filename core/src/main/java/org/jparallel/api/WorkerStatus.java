package org.jparallel.api;

import java.time.Duration;

/**
 * One row of a pool's status: a worker's index, PID, state ({@code starting}, {@code idle},
 * {@code busy}, {@code silent} — it has sent nothing for seconds, see
 * {@link WorkerPool.Builder#livenessLimit} —, {@code stopping} or {@code dead}), tasks done, CPU time
 * used, resident memory, and how many jars it was sent.
 *
 * @param rssBytes    resident set size in bytes, or -1 where the operating system does not say
 * @param jarsFetched how many classpath jars the worker received from this JVM because its host's jar cache
 *                    lacked them: a jar crosses once per host, so the other workers of a host show 0 for it
 */
public record WorkerStatus(int index, long pid, String state, long tasksDone, Duration cpuTime, long rssBytes,
                           int jarsFetched) {
}
