import org.jparallel.api.WorkerPool;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Workers on another host against workers on this machine: the same figures as PoolBench's tiny-task,
 * apply and transfer sections, once on a pool of workers started through ssh on a test host (a network
 * namespace of this machine, reached over a veth link; every connection TLS 1.3) and once on a pool of
 * as many local workers (the plain loopback path), so that only where the workers run differs.
 *
 * <p>Run by bench/hosts_bench.py, compiled with PoolBench.java (its sections, statistics and JSON).
 * Prints ONE JSON object on stdout; progress on stderr. Options: --ssh-config FILE (the test hosts' ssh
 * config; required), --host NAME (default alpha), --workers N (per pool, default 2, as python_mp.py's
 * Pool(2)), --quick (fewer repetitions), --section-timeout SECONDS (default 300).
 */
public final class HostsBench {

    public static void main(String[] args) throws Exception {
        String sshConfig = null;
        String host = "alpha";
        int workers = 2;
        boolean quick = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--ssh-config" -> sshConfig = args[++i];
                case "--host" -> host = args[++i];
                case "--workers" -> workers = Integer.parseInt(args[++i]);
                case "--quick" -> quick = true;
                case "--section-timeout" -> PoolBench.sectionTimeoutS = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (sshConfig == null) {
            throw new IllegalArgumentException("--ssh-config FILE is required");
        }
        String config = sshConfig;
        String destination = host;
        int size = workers;
        String loadStart = PoolBench.loadavg();
        Map<String, Object> pools = new LinkedHashMap<>();
        pools.put("loopback", measure("loopback", () -> WorkerPool.builder().workers(size).start(), quick));
        pools.put("host", measure(host,
                () -> WorkerPool.builder().host(destination, size).sshOption("-F", config).start(), quick));

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("system", "jparallel");
        result.put("machine", PoolBench.machine());
        result.put("conventions", Map.of("timing", "median of `reps` repetitions (reps stated per metric)",
                "MB", "1e6 bytes", "quick", quick, "workers_per_pool", size, "host", host));
        result.put("metrics", pools);
        result.put("errors", PoolBench.errors);
        result.put("section_wall_s", PoolBench.sectionTimes);
        result.put("run_conditions", Map.of("loadavg_start", loadStart, "loadavg_end", PoolBench.loadavg()));
        for (WorkerPool p : PoolBench.openPools) {
            p.terminate();
        }
        PoolBench.log("done");
        System.out.println(PoolBench.json(result, "  "));
        System.out.flush();
        System.exit(0);
    }

    /** A pool that the section starts. */
    interface Opener {
        WorkerPool open() throws Exception;
    }

    /** PoolBench's tiny-task, apply and transfer figures on the pool {@code opener} starts, warmed up as PoolBench does. */
    static Map<String, Object> measure(String name, Opener opener, boolean quick) {
        Map<String, Object> m = new LinkedHashMap<>();
        WorkerPool[] opened = new WorkerPool[1];
        m.put("pool_start_s", PoolBench.section(name + ": start", () -> {
            double t0 = PoolBench.now();
            WorkerPool pool = opener.open();
            PoolBench.openPools.add(pool);
            pool.awaitReady();
            pool.map(i -> PoolBench.pid(), PoolBench.range(8), 1);
            double seconds = PoolBench.now() - t0;
            opened[0] = pool;
            List<String> where = pool.status().stream().map(w -> w.host() + " pid " + w.pid()).toList();
            return PoolBench.metric(PoolBench.rnd(seconds), "s", 1, "workers", where,
                    "note", "from the builder's start() until every worker answered a task (ssh, java -version "
                            + "and the jar check included for a host)");
        }));
        WorkerPool pool = opened[0];
        if (pool == null) {
            return m;
        }
        PoolBench.section(name + ": warm-up", () -> {
            // untimed, as PoolBench's: the JIT of both ends for every path measured below
            for (int i = 0; i < 25; i++) {
                pool.map(x -> x * x, PoolBench.range(100_000));
            }
            pool.map(x -> x * x, PoolBench.range(2_000), 1);
            for (int i = 0; i < 300; i++) {
                pool.apply(x -> x * x, 3);
            }
            return null;
        });
        m.put("map_tiny_n100k", PoolBench.section(name + ": map 100k",
                () -> PoolBench.benchMapTiny(pool, 100_000, quick ? 3 : 5, 0)));
        PoolBench.section(name + ": chunk size 1 warm-up", () -> PoolBench.warmUpChunkSizeOne(pool));
        m.put("map_tiny_n20k_chunksize1", PoolBench.section(name + ": map 20k chunk size 1",
                () -> PoolBench.benchMapTiny(pool, quick ? 5_000 : 20_000, quick ? 2 : 3, 1)));
        m.put("apply_rtt_us", PoolBench.section(name + ": apply rtt",
                () -> PoolBench.benchApplyRtt(pool, 200, quick ? 500 : 2000)));
        m.put("transfer", PoolBench.section(name + ": transfer",
                () -> PoolBench.benchTransfer(pool, quick ? 2 : 5, 8)));
        PoolBench.section(name + ": close", () -> {
            PoolBench.close(pool);
            return null;
        });
        return m;
    }
}
