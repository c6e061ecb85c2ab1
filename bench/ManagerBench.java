import org.jparallel.api.ManagedMap;
import org.jparallel.api.Manager;
import org.jparallel.api.Shared;
import org.jparallel.api.SharedInt;
import org.jparallel.api.WorkerPool;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark of a Manager's proxies: round trips of a managed dict from pool workers, the server running in
 * this JVM (as it runs in the kernel). The Java side of bench/manager_bench.py, which measures Python's
 * {@code multiprocessing.Manager().dict()} the same way in the same run.
 *
 * <p>Compiled by manager_bench.py with PoolBench.java (JSON and statistics helpers) and SharedBench.java
 * (the barrier that starts two tasks together) against the magics jar. Prints ONE JSON object on stdout;
 * progress on stderr. Every metric is {"value", "unit", "reps", ...}, value being the median of reps.
 *
 * <p>Options: --quick (fewer operations and repetitions).
 */
public final class ManagerBench {

    // ------------------------------------------------------------------ worker-side code

    /** {@code n} times {@code d.put(key, i)} then {@code d.get(key)}: 2n round trips; returns the pid. */
    static long putGet(ManagedMap<String, Integer> d, SharedInt arrived, String key, int n) {
        SharedBench.barrier(arrived);
        for (int i = 0; i < n; i++) {
            d.put(key, i);
            if (d.get(key) != i) {
                throw new IllegalStateException("read back another value");
            }
        }
        return PoolBench.pid();
    }

    /** {@code n} times {@code d.merge("n", 1, Integer::sum)} on one shared key; returns the pid. */
    static long merges(ManagedMap<String, Integer> d, SharedInt arrived, int n) {
        SharedBench.barrier(arrived);
        for (int i = 0; i < n; i++) {
            d.merge("n", 1, Integer::sum);
        }
        return PoolBench.pid();
    }

    /** One caller alone: the time of each of {@code n} puts and gets, in microseconds, sorted. */
    static double[] latencies(ManagedMap<String, Integer> d, int n) {
        double[] us = new double[2 * n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            d.put("k", i);
            long t1 = System.nanoTime();
            d.get("k");
            us[2 * i] = (t1 - t0) / 1e3;
            us[2 * i + 1] = (System.nanoTime() - t1) / 1e3;
        }
        Arrays.sort(us);
        return us;
    }

    // ------------------------------------------------------------------ measurements

    /** 2 workers running {@code task} together; {@code opsPerTask} round trips each, over the caller's wall time. */
    static Map<String, Object> benchContended(WorkerPool pool, Manager manager, String what, int opsPerTask, int reps,
                                              boolean merge, int n) throws Exception {
        List<Double> rates = new ArrayList<>();
        for (int rep = -1; rep < reps; rep++) { // rep -1 warms up, untimed
            ManagedMap<String, Integer> d = manager.dict();
            try (SharedInt arrived = Shared.intValue(0)) {
                pool.awaitReady();
                double t0 = PoolBench.now();
                List<Long> pids = merge
                        ? pool.map(w -> merges(d, arrived, n), List.of(0, 1), 1)
                        : pool.map(w -> putGet(d, arrived, "worker " + w, n), List.of(0, 1), 1);
                double wall = PoolBench.now() - t0;
                if (pids.get(0).equals(pids.get(1))) {
                    throw new IllegalStateException("both tasks ran in one worker: " + pids);
                }
                if (merge && d.get("n") != 2 * n) {
                    throw new IllegalStateException("merge counted " + d.get("n") + " of " + 2 * n);
                }
                if (rep >= 0) {
                    rates.add(2.0 * opsPerTask / wall);
                }
            }
        }
        return PoolBench.metric(Math.round(PoolBench.median(rates)), "round trips/s", reps,
                "per_rep", PoolBench.rounded(rates), "note", what);
    }

    static Map<String, Object> benchLatency(WorkerPool pool, Manager manager, int n) {
        ManagedMap<String, Integer> d = manager.dict();
        pool.apply(() -> latencies(d, n / 10)); // warm-up
        double[] us = pool.apply(() -> latencies(d, n));
        int count = us.length;
        return PoolBench.metric(PoolBench.rnd(us[count / 2]), "us", count,
                "p10", PoolBench.rnd(us[count / 10]), "p90", PoolBench.rnd(us[count * 9 / 10]),
                "p99", PoolBench.rnd(us[count * 99 / 100]),
                "note", "one worker alone, each of " + n + " d.put(\"k\", i) and " + n + " d.get(\"k\") timed in the"
                        + " worker; value is the median round trip");
    }

    // ------------------------------------------------------------------ main

    public static void main(String[] args) throws Exception {
        boolean quick = Arrays.asList(args).contains("--quick");
        int reps = quick ? 3 : 5;
        int n = quick ? 5_000 : 20_000;
        String la0 = PoolBench.loadavg();
        Map<String, Object> result = new LinkedHashMap<>();
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("java_version", System.getProperty("java.runtime.version"));
        machine.put("jvm_args", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        result.put("machine", machine);
        Map<String, Object> metrics = new LinkedHashMap<>();
        try (WorkerPool pool = WorkerPool.start(2).awaitReady(); Manager manager = pool.manager()) {
            PoolBench.log("put/get from 2 workers");
            metrics.put("put_get_2_workers", benchContended(pool, manager,
                    "2 workers x " + n + " x (d.put(key, i); d.get(key)), each worker its own key, tasks start"
                            + " together (barrier); all round trips / wall time of pool.map in the caller",
                    2 * n, reps, false, n));
            PoolBench.log("merge from 2 workers");
            metrics.put("merge_2_workers", benchContended(pool, manager,
                    "2 workers x " + n + " d.merge(\"n\", 1, Integer::sum) on one key (atomic on the server),"
                            + " tasks start together; total checked exact",
                    n, reps, true, n));
            PoolBench.log("round trip latency");
            metrics.put("round_trip_latency", benchLatency(pool, manager, n));
        }
        result.put("metrics", metrics);
        result.put("run_conditions", Map.of("loadavg_start", la0, "loadavg_end", PoolBench.loadavg()));
        System.out.println(PoolBench.json(result, "  "));
        PoolBench.log("done");
    }
}
