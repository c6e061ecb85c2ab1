package org.jparallel.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Workers in a Slurm job: how many, and what to ask Slurm for (see {@link WorkerPool.Builder#slurm(SlurmJob)}).
 * One job per pool, allocated through {@code salloc} when the pool starts and cancelled when it stops.
 *
 * <pre>{@code
 * WorkerPool.builder().slurm(SlurmJob.of(8).partition("short").time("1:00:00")).start()
 * }</pre>
 *
 * @param workers      how many workers (Slurm tasks, one CPU each)
 * @param partition    {@code --partition}, or null for the cluster's default
 * @param time         {@code --time} in Slurm's notation ({@code 30}, {@code 1:00:00}, {@code 2-0}), or null
 * @param account      {@code --account}, or null
 * @param options      more options for {@code salloc}, each one word ({@code --name=value}), such as
 *                     {@code --constraint=avx512} or {@code --mem-per-cpu=4G}
 * @param pendingLimit how long the job may wait in the queue before the start fails (with {@code squeue}'s
 *                     reason) and the job is cancelled
 */
public record SlurmJob(int workers, String partition, String time, String account, List<String> options,
                       Duration pendingLimit) {

    /** How long a job may pend unless told otherwise. */
    public static final Duration DEFAULT_PENDING_LIMIT = Duration.ofSeconds(60);

    public SlurmJob {
        if (workers < 1) {
            throw new IllegalArgumentException("a Slurm job needs at least one worker, not " + workers);
        }
        options = List.copyOf(options);
        for (String option : options) {
            if (!option.startsWith("-")) {
                // a word that is no option would be taken by salloc as the start of its command
                throw new IllegalArgumentException("a Slurm option is one word, -x or --name=value as in"
                        + " --constraint=avx512, not '" + option + "'");
            }
        }
        if (pendingLimit == null || pendingLimit.isNegative() || pendingLimit.isZero()) {
            throw new IllegalArgumentException("a pending limit is a positive duration, not " + pendingLimit);
        }
    }

    /** {@code workers} workers in the default partition, no other option, the default pending limit. */
    public static SlurmJob of(int workers) {
        return new SlurmJob(workers, null, null, null, List.of(), DEFAULT_PENDING_LIMIT);
    }

    /** This job in {@code partition}. */
    public SlurmJob partition(String partition) {
        return new SlurmJob(workers, partition, time, account, options, pendingLimit);
    }

    /** This job with a time limit, in Slurm's notation ({@code minutes}, {@code h:mm:ss}, {@code days-hours}). */
    public SlurmJob time(String time) {
        return new SlurmJob(workers, partition, time, account, options, pendingLimit);
    }

    /** This job charged to {@code account}. */
    public SlurmJob account(String account) {
        return new SlurmJob(workers, partition, time, account, options, pendingLimit);
    }

    /** This job with more options for {@code salloc}, each one word: {@code option("--begin=now+1hour")}. */
    public SlurmJob option(String... words) {
        List<String> more = new ArrayList<>(options);
        more.addAll(List.of(words));
        return new SlurmJob(workers, partition, time, account, more, pendingLimit);
    }

    /** This job, failing the pool's start if it pends longer than {@code limit}. */
    public SlurmJob pendingLimit(Duration limit) {
        return new SlurmJob(workers, partition, time, account, options, limit);
    }
}
