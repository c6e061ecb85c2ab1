import org.jparallel.api.AsyncResult;
import org.jparallel.api.WorkerIdentity;
import org.jparallel.api.WorkerPool;
import org.jparallel.api.WorkerStatus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Benchmark of jparallel's WorkerPool, the Java counterpart of ../shared/bench/python_mp.py (same
 * workloads, same repetitions, same metric names where there is a match).
 *
 * <p>Run by bench/pool_bench.py, which compiles this file against the magics jar and its libraries.
 * Prints ONE JSON object on stdout; progress goes to stderr. Every metric is
 * {"value", "unit", "reps", ...}, value being the median of reps repetitions.
 *
 * <p>Options: --quick (fewer repetitions), --apply-only (the thread hand-off and the apply round trip alone),
 * --heavy-n N (skip the calibration of heavy(n)),
 * --section-timeout SECONDS (a section that takes longer is abandoned, its pools terminated, and
 * reported as an error; default 300).
 */
public final class PoolBench {

    static final int PAYLOAD_BYTES = 12_500_000; // 12.5 MB, 8 of them = 100 MB, as in python_mp.py
    static final double MB = 1_000_000.0;
    static final double MIB = 1024.0 * 1024.0;
    /** heavy(n) should take about this long on one core. */
    static final double HEAVY_TARGET_S = 0.3;

    private static final long T0 = System.nanoTime();
    private static boolean quick;
    /** --apply-only: the thread hand-off and the apply round trip alone (pool_bench.py runs it on one CPU). */
    private static boolean applyOnly;
    /** Pools opened by the section that is running, terminated if it times out. */
    static final List<WorkerPool> openPools = new CopyOnWriteArrayList<>();

    // ------------------------------------------------------------------ worker-side code

    /** Cached in each worker (static field of this class, loaded there from the same classpath). */
    private static byte[] cachedPayload;

    static byte[] makePayload() {
        if (cachedPayload == null) {
            byte[] b = new byte[PAYLOAD_BYTES];
            Arrays.fill(b, (byte) 'x');
            cachedPayload = b;
        }
        return cachedPayload;
    }

    /** Sum of i*i for i < n in long arithmetic (wraps around; the work is what counts). */
    static long heavy(long n) {
        long s = 0;
        for (long i = 0; i < n; i++) {
            s += i * i;
        }
        return s;
    }

    static long pid() {
        return WorkerIdentity.current().pid();
    }

    // ------------------------------------------------------------------ helpers

    static void log(String msg) {
        System.err.printf(Locale.ROOT, "[%6.1fs] %s%n", (System.nanoTime() - T0) / 1e9, msg);
        System.err.flush();
    }

    static double now() {
        return System.nanoTime() / 1e9;
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2.0;
    }

    /** Four significant digits, like python_mp.py's rnd(). */
    static double rnd(double x) {
        return rnd(x, 4);
    }

    static double rnd(double x, int digits) {
        if (x == 0 || Double.isNaN(x) || Double.isInfinite(x)) {
            return x;
        }
        return Double.parseDouble(String.format(Locale.ROOT, "%." + (digits - 1) + "e", x));
    }

    static List<Double> rounded(List<Double> xs) {
        List<Double> out = new ArrayList<>();
        for (double x : xs) {
            out.add(rnd(x));
        }
        return out;
    }

    static Map<String, Object> metric(Object value, String unit, Integer reps, Object... extra) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("value", value);
        m.put("unit", unit);
        if (reps != null) {
            m.put("reps", reps);
        }
        for (int i = 0; i < extra.length; i += 2) {
            m.put((String) extra[i], extra[i + 1]);
        }
        return m;
    }

    static List<Integer> range(int n) {
        List<Integer> xs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            xs.add(i);
        }
        return xs;
    }

    static WorkerPool open(int workers) {
        WorkerPool pool = WorkerPool.start(workers);
        openPools.add(pool);
        return pool;
    }

    static void close(WorkerPool pool) {
        pool.close();
        openPools.remove(pool);
    }

    static long procField(long pid, String file, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), file))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    // ------------------------------------------------------------------ a. pool start-up

    /**
     * The class-data archive the workers start from, as an installed kernel's do: made here first if there is
     * none yet (the first worker of a pool writes its class list, a JVM of its own makes the archive once that
     * worker ended), so that every pool measured below starts from it. The launcher is internal: a plain Java
     * program does not need to know about the archive, a benchmark must.
     */
    static Map<String, Object> workerArchive() throws Exception {
        var launcher = new org.jparallel.internal.launch.WorkerLauncher(System.getProperty("java.class.path"), List.of());
        Path archive = launcher.classDataArchive();
        double t0 = now();
        boolean made = archive == null;
        if (made) {
            WorkerPool pool = open(1);
            pool.map(i -> pid(), range(8), 1);
            close(pool);
            while ((archive = launcher.classDataArchive()) == null && now() - t0 < 180) {
                Thread.sleep(100);
            }
        }
        return metric(archive == null ? "none" : archive.toString(), "path", 1, "made_now", made,
                "made_in_s", made ? rnd(now() - t0) : 0,
                "note", "the class-data archive the workers start from (none: they load their classes from the jars)");
    }

    /**
     * WorkerPool.start(2) until both workers have answered one task each. There is no barrier in the
     * pool's API, so the parent repeatedly maps "return my PID" over 2 elements with chunk size 1
     * until 2 distinct PIDs have been seen (a worker that is up first may take both tasks of a round;
     * the next round then goes on). awaitReady() is not called: it would only add a wait for the
     * same thing.
     */
    static Map<String, Object> benchPoolStart(int reps) throws Exception {
        List<Double> both = new ArrayList<>();
        List<Double> first = new ArrayList<>();
        List<Double> startCall = new ArrayList<>();
        List<Integer> rounds = new ArrayList<>();
        List<Double> closeS = new ArrayList<>();
        double coldBoth = -1;
        for (int rep = -1; rep < reps; rep++) { // rep -1: first pool of this JVM, reported apart
            double t0 = now();
            WorkerPool pool = open(2);
            double tStarted = now();
            Set<Long> pids = new HashSet<>();
            double tFirst = -1;
            int round = 0;
            while (pids.size() < 2) {
                round++;
                List<Long> got = pool.map(i -> pid(), List.of(0, 1), 1);
                if (tFirst < 0) {
                    tFirst = now();
                }
                pids.addAll(got);
                if (pids.size() < 2 && now() - t0 > 30) {
                    String status = pool.status().toString();
                    close(pool);
                    throw new IllegalStateException("pool start rep " + rep + ": only worker(s) " + pids
                            + " answered in 30 s (" + round + " map rounds); status: " + status);
                }
            }
            double t1 = now();
            close(pool);
            double t2 = now();
            if (rep < 0) {
                coldBoth = t1 - t0;
                continue;
            }
            both.add(t1 - t0);
            first.add(tFirst - t0);
            startCall.add(tStarted - t0);
            rounds.add(round);
            closeS.add(t2 - t1);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("pool2_both_answered", metric(rnd(median(both)), "s", reps,
                "min", rnd(Collections.min(both)), "max", rnd(Collections.max(both)),
                "per_rep", rounded(both), "map_rounds_per_rep", rounds,
                "note", "WorkerPool.start(2) until both workers answered one task each (map of 2 "
                        + "PID tasks, chunk size 1, repeated until 2 distinct PIDs were seen); "
                        + "pools started after a first one in the same JVM"));
        out.put("pool2_first_answer", metric(rnd(median(first)), "s", reps,
                "note", "same runs: until the first map round returned"));
        out.put("start_call_returns", metric(rnd(median(startCall)), "s", reps,
                "note", "same runs: WorkerPool.start(2) returning (processes launched)"));
        out.put("first_pool_in_jvm", metric(rnd(coldBoth), "s", 1,
                "note", "the same measurement for the very first pool of this JVM (the "
                        + "parent's own class loading included); not in the median"));
        out.put("close", metric(rnd(median(closeS)), "s", reps, "note", "pool.close()"));
        return out;
    }

    // ------------------------------------------------------------------ b.-d. tiny tasks

    static Map<String, Object> benchMapTiny(WorkerPool pool, int n, int reps, int chunkSize) {
        List<Integer> data = range(n);
        List<Double> times = new ArrayList<>();
        for (int rep = 0; rep < reps; rep++) {
            double t0 = now();
            List<Integer> r = chunkSize == 0 ? pool.map(x -> x * x, data) : pool.map(x -> x * x, data, chunkSize);
            double t1 = now();
            if (r.size() != n || r.get(n - 1) != (n - 1) * (n - 1)) {
                throw new IllegalStateException("wrong map result: size " + r.size());
            }
            times.add(t1 - t0);
        }
        double t = median(times);
        String cs = chunkSize == 0
                ? "default chunk size (= " + ((n + 8 - 1) / 8) + " here)"
                : "chunk size " + chunkSize;
        return metric(Math.round(n / t), "tasks/s", reps, "wall_s", rnd(t), "n", n,
                "per_rep_s", rounded(times),
                "note", "pool.map(x -> x * x, range(" + n + ")) on WorkerPool(2), " + cs
                        + ", after warm-up; input list built before timing");
    }

    /**
     * Untimed, after the warm-up of large maps: that one runs some 3,000 tasks, and the workers' C2 compiles their
     * per-task path (reading a task, running it, encoding and writing its report) only over the next 60,000 to
     * 80,000, spending 3 to 19 us of CPU per task meanwhile (bench/README.md, "Chunk size 1: what bounds it").
     */
    static Object warmUpChunkSizeOne(WorkerPool pool) {
        for (int i = 0; i < 5; i++) {
            pool.map(x -> x * x, range(20_000), 1);
        }
        return null;
    }

    /**
     * Two threads of this JVM passing a turn back and forth (park and unpark), 20,000 round trips, median of 5:
     * the cost of waking a sleeping thread, which every hand-off of an apply pays (the caller's task to a worker,
     * its reply to the pool's selector thread, that thread to the caller). On this machine's 2 virtual
     * CPUs it is about ten times dearer when the two threads sit on different CPUs than on one (issue 15).
     */
    static Map<String, Object> benchThreadHandOff() throws InterruptedException {
        int n = 20_000;
        List<Double> perHandOff = new ArrayList<>();
        for (int rep = 0; rep < 5; rep++) {
            AtomicInteger turn = new AtomicInteger();
            Thread caller = Thread.currentThread();
            Thread answerer = new Thread(() -> {
                for (int i = 0; i < n; i++) {
                    while (turn.get() != 1) {
                        LockSupport.park();
                    }
                    turn.set(0);
                    LockSupport.unpark(caller);
                }
            }, "bench-hand-off");
            answerer.start();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                turn.set(1);
                LockSupport.unpark(answerer);
                while (turn.get() != 0) {
                    LockSupport.park();
                }
            }
            perHandOff.add((System.nanoTime() - t0) / 1e3 / (2.0 * n));
            answerer.join();
        }
        return metric(rnd(median(perHandOff)), "us", 5, "per_rep_us", rounded(perHandOff),
                "note", "one wake-up of a parked thread by another, in the benchmark's JVM (ping-pong of "
                        + n + " round trips); the CPUs the threads run on are the scheduler's choice");
    }

    /**
     * CPU time (ns, schedstat) of each JIT compiler thread of these processes, by "pid/tid": while it still grows,
     * a worker's C2 is compiling, and on 2 CPUs takes one from the task it compiles for.
     */
    static Map<String, Long> compilerNanos(List<Long> pids) {
        Map<String, Long> byThread = new HashMap<>();
        for (long pid : pids) {
            try (var tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
                for (Path task : tasks) {
                    try {
                        String name = Files.readString(task.resolve("comm"));
                        if (name.startsWith("C2 Compiler") || name.startsWith("C1 Compiler")) {
                            long ns = Long.parseLong(Files.readString(task.resolve("schedstat")).split(" ")[0]);
                            byThread.put(pid + "/" + task.getFileName(), ns);
                        }
                    } catch (IOException | RuntimeException e) {
                        // a compiler thread that ended while it was read (HotSpot stops idle ones)
                    }
                }
            } catch (IOException e) {
                // a worker that ended has no compiler left
            }
        }
        return byThread;
    }

    /** ms of compiler CPU between two readings: threads that ended count for nothing, new ones for all they used. */
    static double compilerMsBetween(Map<String, Long> before, Map<String, Long> after) {
        long ns = 0;
        for (Map.Entry<String, Long> thread : after.entrySet()) {
            ns += Math.max(0, thread.getValue() - before.getOrDefault(thread.getKey(), 0L));
        }
        return ns / 1e6;
    }

    /**
     * Applies, in rounds of at least 1 s (so that each holds the workers' heartbeats and their own encoding
     * paths), until the workers' compilers spent under 2 ms in each of two rounds in a row, or for at most
     * {@code maxSeconds}: the steady state Python, with no JIT, is in from its first call. Returns the number of
     * calls made and whether the compilers settled.
     */
    static Map<String, Object> settleApply(WorkerPool pool, double maxSeconds) {
        List<Long> pids = pool.status().stream().map(WorkerStatus::pid).toList();
        double t0 = now();
        long calls = 0;
        int quietRounds = 0;
        List<Double> compilerMs = new ArrayList<>();
        while (quietRounds < 2 && now() - t0 < maxSeconds) {
            Map<String, Long> before = compilerNanos(pids);
            double roundStart = now();
            while (now() - roundStart < 1.0) {
                for (int i = 0; i < 100; i++) {
                    pool.apply(x -> x * x, 3);
                }
                calls += 100;
            }
            double ms = compilerMsBetween(before, compilerNanos(pids));
            compilerMs.add(rnd(ms));
            quietRounds = ms < 2 ? quietRounds + 1 : 0;
        }
        Map<String, Object> settled = new LinkedHashMap<>();
        settled.put("calls", calls);
        settled.put("settled", quietRounds >= 2);
        settled.put("compiler_ms_per_round", compilerMs);
        return settled;
    }

    static Map<String, Object> benchApplyRtt(WorkerPool pool, double maxWarmUpSeconds, int calls) {
        Map<String, Object> warmUp = settleApply(pool, maxWarmUpSeconds);
        double[] lat = new double[calls];
        int r = 0;
        for (int i = 0; i < calls; i++) {
            long t0 = System.nanoTime();
            r = pool.apply((Integer x) -> x * x, 3);
            lat[i] = (System.nanoTime() - t0) / 1e3;
        }
        if (r != 9) {
            throw new IllegalStateException("apply returned " + r);
        }
        Arrays.sort(lat);
        List<Double> us = new ArrayList<>();
        for (double x : lat) {
            us.add(x);
        }
        return metric(rnd(median(us)), "us", calls,
                "p10", rnd(lat[calls / 10]), "p90", rnd(lat[calls * 9 / 10]),
                "p99", rnd(lat[calls * 99 / 100]), "max", rnd(lat[calls - 1]),
                "warm_up", warmUp,
                "note", "per-call round trip of pool.apply(x -> x * x, 3), WorkerPool(2), once the workers' JIT "
                        + "compilers were idle for two 1 s rounds of applies in a row ("
                        + (Boolean.TRUE.equals(warmUp.get("settled")) ? "" : "not reached: ") + warmUp.get("calls")
                        + " warm-up calls)");
    }

    static Map<String, Object> benchApplyAsync(WorkerPool pool, int n, int reps) throws InterruptedException {
        List<Double> times = new ArrayList<>();
        for (int rep = 0; rep < reps; rep++) {
            double t0 = now();
            List<AsyncResult<Integer>> ars = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                ars.add(pool.applyAsync((Integer x) -> x * x, i));
            }
            int last = 0;
            for (AsyncResult<Integer> a : ars) {
                last = a.get();
            }
            double t1 = now();
            if (last != (n - 1) * (n - 1)) {
                throw new IllegalStateException("applyAsync returned " + last);
            }
            times.add(t1 - t0);
        }
        double t = median(times);
        return metric(Math.round(n / t), "tasks/s", reps, "wall_s", rnd(t), "n", n,
                "per_rep_s", rounded(times),
                "note", n + " x applyAsync(x -> x * x, i) then get() all, WorkerPool(2)");
    }

    // ------------------------------------------------------------------ h. bulk transfer

    static Map<String, Object> benchTransfer(WorkerPool pool, int reps, int items) {
        byte[] payload = new byte[PAYLOAD_BYTES];
        Arrays.fill(payload, (byte) 'x');
        List<byte[]> data = Collections.nCopies(items, payload);
        pool.map(i -> makePayload().length, range(4), 1); // build the payload in the workers
        pool.map((byte[] b) -> b.length, data); // warm-up of both paths, untimed
        pool.map(i -> makePayload(), range(items));
        List<Double> to = new ArrayList<>();
        List<Double> from = new ArrayList<>();
        for (int rep = 0; rep < reps; rep++) {
            double t0 = now();
            List<Integer> r = pool.map((byte[] b) -> b.length, data);
            to.add(now() - t0);
            if (r.size() != items || r.stream().anyMatch(x -> x != PAYLOAD_BYTES)) {
                throw new IllegalStateException("wrong lengths " + r);
            }
        }
        for (int rep = 0; rep < reps; rep++) {
            double t0 = now();
            List<byte[]> r = pool.map(i -> makePayload(), range(items));
            from.add(now() - t0);
            if (r.size() != items || r.get(0).length != PAYLOAD_BYTES) {
                throw new IllegalStateException("wrong payloads");
            }
        }
        double totalMb = items * PAYLOAD_BYTES / MB;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("to_workers_MBps", metric(rnd(totalMb / median(to)), "MB/s", reps,
                "wall_s", rnd(median(to)), "per_rep_s", rounded(to),
                "note", "pool.map(b -> b.length, " + items + " x 12.5 MB byte[]), WorkerPool(2), "
                        + "default chunk size; MB = 1e6 bytes of payload"));
        out.put("from_workers_MBps", metric(rnd(totalMb / median(from)), "MB/s", reps,
                "wall_s", rnd(median(from)), "per_rep_s", rounded(from),
                "note", "pool.map returning " + items + " x 12.5 MB byte[] (pre-built in the worker)"));
        return out;
    }

    // ------------------------------------------------------------------ e. CPU speed-up

    static double timeHeavy(long n, int reps) {
        List<Double> ts = new ArrayList<>();
        long sink = 0;
        for (int i = 0; i < reps; i++) {
            double t0 = now();
            sink += heavy(n);
            ts.add(now() - t0);
        }
        if (sink == 42) {
            log("(unlikely sum)");
        }
        return median(ts);
    }

    /** n such that heavy(n) takes about HEAVY_TARGET_S in this JVM (same flags as the workers). */
    static long calibrateHeavy() {
        heavy(10_000_000); // let the JIT compile the loop
        long n = 1_000_000;
        double t = timeHeavy(n, 3);
        while (t < 0.05) {
            n *= 4;
            t = timeHeavy(n, 3);
        }
        n = (long) (n * HEAVY_TARGET_S / t);
        t = timeHeavy(n, 3);
        n = (long) (n * HEAVY_TARGET_S / t);
        return Math.max(1, n / 100_000 * 100_000);
    }

    static Map<String, Object> benchCpuSpeedup(long nHeavy, int reps, int tasks) {
        Map<Integer, Double> res = new LinkedHashMap<>();
        Map<Integer, List<Double>> per = new LinkedHashMap<>();
        Map<Integer, List<Double>> inWorker = new LinkedHashMap<>();
        List<Long> work = Collections.nCopies(tasks, nHeavy);
        for (int workers : new int[] {1, 2}) {
            WorkerPool pool = open(workers);
            try {
                pool.map(i -> pid(), range(workers * 2), 1); // warm-up, as python_mp.py
                pool.map(PoolBench::heavy, Collections.nCopies(workers * 2, nHeavy / 20), 1); // JIT warm-up
                List<Double> times = new ArrayList<>();
                for (int rep = 0; rep < reps; rep++) {
                    double t0 = now();
                    List<Long> r = pool.map(PoolBench::heavy, work, 1);
                    times.add(now() - t0);
                    if (r.size() != tasks) {
                        throw new IllegalStateException("wrong result count " + r.size());
                    }
                }
                res.put(workers, median(times));
                per.put(workers, rounded(times));
                // one heavy(n) timed inside a worker, to compare with the parent's calibration
                List<Double> w = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    w.add(pool.apply((Long n) -> {
                        long t0 = System.nanoTime();
                        long s = heavy(n);
                        double dt = (System.nanoTime() - t0) / 1e9;
                        return s == 42 ? -dt : dt;
                    }, nHeavy));
                }
                inWorker.put(workers, rounded(w));
            } finally {
                close(pool);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("pool1_wall_s", metric(rnd(res.get(1)), "s", reps, "per_rep", per.get(1),
                "heavy_in_worker_s", inWorker.get(1),
                "note", "WorkerPool(1).map(heavy, [n]*" + tasks + ", chunk size 1)"));
        out.put("pool2_wall_s", metric(rnd(res.get(2)), "s", reps, "per_rep", per.get(2),
                "heavy_in_worker_s", inWorker.get(2),
                "note", "WorkerPool(2).map(heavy, [n]*" + tasks + ", chunk size 1)"));
        out.put("speedup", metric(rnd(res.get(1) / res.get(2), 3), "x (pool1/pool2)", reps));
        return out;
    }

    // ------------------------------------------------------------------ i. idle worker memory

    /** Waits (polling, with a deadline) until every worker reports the idle state. */
    static void awaitIdle(WorkerPool pool, int workers) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (pool.status().stream().filter(w -> w.state().equals("idle")).count() < workers) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("workers not idle after 30 s: " + pool.status());
            }
            Thread.onSpinWait();
        }
    }

    static Map<String, Object> benchWorkerRss() throws InterruptedException {
        WorkerPool pool = open(2);
        try {
            pool.map(i -> pid(), range(8), 1);
            awaitIdle(pool, 2);
            List<Double> rss = new ArrayList<>();
            List<Double> procRss = new ArrayList<>();
            List<Double> pss = new ArrayList<>();
            List<Double> hwm = new ArrayList<>();
            List<Long> pids = new ArrayList<>();
            for (WorkerStatus s : pool.status()) {
                pids.add(s.pid());
                rss.add(s.rssBytes() / MIB);
                procRss.add(procField(s.pid(), "status", "VmRSS") / 1024.0);
                hwm.add(procField(s.pid(), "status", "VmHWM") / 1024.0);
                pss.add(procField(s.pid(), "smaps_rollup", "Pss") / 1024.0);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("idle_worker_rss", metric(rnd(median(rss), 3), "MiB", rss.size(),
                    "per_worker", rounded(rss), "max", rnd(Collections.max(rss), 3), "pids", pids,
                    "note", "WorkerStatus.rssBytes() of each worker of an idle WorkerPool(2), 1 s "
                            + "after 8 tiny tasks; median over the workers"));
            out.put("idle_worker_rss_proc", metric(rnd(median(procRss), 3), "MiB", procRss.size(),
                    "per_worker", rounded(procRss), "note", "VmRSS from /proc/PID/status, same moment"));
            out.put("idle_worker_pss", metric(rnd(median(pss), 3), "MiB", pss.size(),
                    "per_worker", rounded(pss), "note", "Pss from /proc/PID/smaps_rollup"));
            out.put("worker_peak_rss", metric(rnd(median(hwm), 3), "MiB", hwm.size(),
                    "per_worker", rounded(hwm), "note", "VmHWM (peak RSS so far) of the same workers"));
            // an idle worker's own threads (its heartbeat, twice a second) allocate, and the young generation keeps
            // every page they touch until it is full (~100 MB here): RSS grows while nothing runs
            int idleS = quick ? 10 : 30;
            long idleStart = System.nanoTime();
            Thread.sleep(idleS * 1000L); // not a wait for something: the idle time over which the growth is measured
            double idleSeconds = (System.nanoTime() - idleStart) / 1e9;
            List<Double> growth = new ArrayList<>();
            List<Double> later = new ArrayList<>();
            for (int i = 0; i < pids.size(); i++) {
                double mib = procField(pids.get(i), "status", "VmRSS") / 1024.0;
                later.add(mib);
                growth.add((mib - procRss.get(i)) * 1024 / idleSeconds);
            }
            out.put("idle_worker_rss_later", metric(rnd(median(later), 3), "MiB", later.size(),
                    "per_worker", rounded(later), "note", "VmRSS of the same workers after " + idleS + " s more idle"));
            out.put("idle_rss_growth_kBps", metric(rnd(median(growth), 3), "KiB/s", growth.size(),
                    "per_worker", rounded(growth), "note", "(VmRSS " + idleS + " s later - VmRSS) / " + idleS
                            + " s: what an idle worker's allocations add until its young generation is full"));
            out.put("parent_rss_for_reference", metric(
                    rnd(procField(ProcessHandle.current().pid(), "status", "VmRSS") / 1024.0, 3), "MiB", null,
                    "note", "VmRSS of this benchmark's JVM at that moment"));
            return out;
        } finally {
            close(pool);
        }
    }

    // ------------------------------------------------------------------ sections, JSON, main

    interface Section {
        Object run() throws Exception;
    }

    private static final ExecutorService sectionThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "bench-section");
        t.setDaemon(true);
        return t;
    });

    static long sectionTimeoutS = 300;
    static final Map<String, Object> errors = new LinkedHashMap<>();
    static final Map<String, Object> sectionTimes = new LinkedHashMap<>();

    /** Runs one section with a time limit; a failure or time-out is recorded and the run goes on. */
    static Object section(String name, Section body) {
        log(name);
        double t0 = now();
        Future<Object> f = sectionThread.submit((Callable<Object>) body::run);
        try {
            return f.get(sectionTimeoutS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            errors.put(name, "timed out after " + sectionTimeoutS + " s; its pools were terminated");
            log(name + ": TIMED OUT");
            for (WorkerPool p : openPools) {
                p.terminate();
            }
            openPools.clear();
            return null;
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            errors.put(name, c.toString());
            log(name + ": FAILED: " + c);
            c.printStackTrace();
            for (WorkerPool p : openPools) {
                p.terminate();
            }
            openPools.clear();
            return null;
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        } finally {
            sectionTimes.put(name, rnd(now() - t0, 3));
        }
    }

    static String json(Object o, String indent) {
        StringBuilder sb = new StringBuilder();
        writeJson(sb, o, indent, "");
        return sb.toString();
    }

    static void writeJson(StringBuilder sb, Object o, String step, String cur) {
        if (o == null) {
            sb.append("null");
        } else if (o instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                sb.append("{}");
                return;
            }
            String in = cur + step;
            sb.append("{\n");
            boolean firstEntry = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!firstEntry) {
                    sb.append(",\n");
                }
                firstEntry = false;
                sb.append(in);
                writeString(sb, String.valueOf(e.getKey()));
                sb.append(": ");
                writeJson(sb, e.getValue(), step, in);
            }
            sb.append("\n").append(cur).append("}");
        } else if (o instanceof List<?> l) {
            sb.append("[");
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                writeJson(sb, l.get(i), step, cur);
            }
            sb.append("]");
        } else if (o instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                sb.append("null");
            } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                sb.append((long) (double) d).append(".0");
            } else {
                sb.append(d);
            }
        } else if (o instanceof Number || o instanceof Boolean) {
            sb.append(o);
        } else {
            writeString(sb, o.toString());
        }
    }

    static void writeString(StringBuilder sb, String s) {
        sb.append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    static String loadavg() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    @SuppressWarnings("unchecked")
    /** The JVM and machine a benchmark ran on, for its JSON. */
    static Map<String, Object> machine() {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("available_processors", Runtime.getRuntime().availableProcessors());
        machine.put("java_version", System.getProperty("java.runtime.version"));
        machine.put("java_vm", System.getProperty("java.vm.name"));
        machine.put("jvm_args", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        machine.put("max_heap_mib", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        return machine;
    }

    public static void main(String[] args) throws Exception {
        long heavyN = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--apply-only" -> applyOnly = true;
                case "--heavy-n" -> heavyN = Long.parseLong(args[++i]);
                case "--section-timeout" -> sectionTimeoutS = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        String la0 = loadavg();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("system", "jparallel");
        result.put("machine", machine());
        result.put("conventions", Map.of(
                "timing", "median of `reps` repetitions (reps stated per metric)",
                "MB", "1e6 bytes", "MiB", "2^20 bytes",
                "quick", quick));
        Map<String, Object> m = new LinkedHashMap<>();
        result.put("metrics", m);

        m.put("thread_handoff_us", section("thread hand-off", PoolBench::benchThreadHandOff));
        if (applyOnly) {
            section("open pool", () -> {
                WorkerPool pool = open(2).awaitReady();
                for (int i = 0; i < 10; i++) {
                    pool.map(x -> x * x, range(100_000));
                }
                m.put("apply_rtt_us", benchApplyRtt(pool, quick ? 5 : 20, quick ? 500 : 2000));
                close(pool);
                return null;
            });
            finish(result, la0);
        }
        int startReps = quick ? 3 : 5;
        m.put("worker_archive", section("worker archive", PoolBench::workerArchive));
        m.put("pool_start_s", section("pool start", () -> benchPoolStart(startReps)));
        m.put("worker_rss_mb", section("worker rss", PoolBench::benchWorkerRss));

        Map<String, Object> mapTiny = new LinkedHashMap<>();
        m.put("map_tiny", mapTiny);
        WorkerPool[] shared = new WorkerPool[1];
        section("open shared pool", () -> {
            shared[0] = open(2).awaitReady();
            shared[0].map(i -> pid(), range(8), 1);
            return null;
        });
        if (shared[0] != null) {
            WorkerPool pool = shared[0];
            mapTiny.put("n100k_first_call", section("map 100k, first call",
                    () -> benchMapTiny(pool, 100_000, 1, 0)));
            mapTiny.put("warm_up", section("map warm-up", () -> {
                // untimed: the JIT of the parent and of the workers, for every path measured below; a
                // 100k map gets from ~25 ms cold to ~6 ms over about 20 calls, as both JVMs compile it
                double t0 = now();
                for (int i = 0; i < 25; i++) {
                    pool.map(x -> x * x, range(100_000));
                }
                pool.map(x -> x * x, range(2_000), 1);
                for (int i = 0; i < 300; i++) {
                    pool.apply(x -> x * x, 3);
                    pool.applyAsync((Integer x) -> x * x, 3).get();
                }
                return metric(rnd(now() - t0), "s", null, "note", "untimed warm-up before the tiny-task figures");
            }));
            mapTiny.put("n100k_default_chunksize", section("map 100k",
                    () -> benchMapTiny(pool, 100_000, quick ? 3 : 5, 0)));
            mapTiny.put("n1M_default_chunksize", section("map 1M",
                    () -> benchMapTiny(pool, 1_000_000, quick ? 2 : 5, 0)));
            int chunk1Tasks = quick ? 5_000 : 20_000;
            mapTiny.put("n20k_chunksize1_first", section("map 20k chunk size 1, first",
                    () -> benchMapTiny(pool, chunk1Tasks, 1, 1)));
            section("chunk size 1 warm-up", () -> warmUpChunkSizeOne(pool));
            mapTiny.put("n20k_chunksize1", section("map 20k chunk size 1",
                    () -> benchMapTiny(pool, chunk1Tasks, quick ? 2 : 3, 1)));
            // warmed up until the workers' compilers are idle: after the chunk-size-1 maps their C2 compiles the
            // apply path again (TaskRunner.runFrom ~220 ms, MessageCodec.writeFields ~60-130 ms each time, more than
            // once as heartbeats and results take branches it had pruned), and on 2 CPUs each compile takes a CPU
            // from the applies; what still moves the median between runs is the price of waking threads across
            // CPUs, shown by the one-CPU figures pool_bench.py adds (bench/README.md, issue 15)
            m.put("apply_rtt_us", section("apply rtt",
                    () -> benchApplyRtt(pool, quick ? 5 : 20, quick ? 500 : 2000)));
            m.put("apply_async_tps", section("apply async",
                    () -> benchApplyAsync(pool, quick ? 5_000 : 20_000, quick ? 2 : 3)));
            m.put("transfer", section("transfer", () -> benchTransfer(pool, quick ? 2 : 5, 8)));
            section("close shared pool", () -> {
                close(pool);
                return null;
            });
        }

        long givenN = heavyN;
        Object cpu = section("cpu speedup", () -> {
            Map<String, Object> out = new LinkedHashMap<>();
            double t0 = now();
            long n = givenN > 0 ? givenN : calibrateHeavy();
            double calib = now() - t0;
            double single = timeHeavy(n, 5);
            out.put("heavy_n", metric(n, "loop iterations",
                    null, "note", givenN > 0 ? "given with --heavy-n"
                            : "calibrated at start so that heavy(n) takes about " + HEAVY_TARGET_S
                            + " s in this JVM (which runs with the workers' JIT flags); calibration took "
                            + rnd(calib, 3) + " s"));
            out.put("heavy_single_task_s", metric(rnd(single), "s", 5,
                    "note", "heavy(n) = sum of i*i for i < n in long arithmetic, in the parent JVM"));
            out.put("tasks", metric(8, "tasks", null));
            out.putAll(benchCpuSpeedup(n, quick ? 2 : 5, 8));
            return out;
        });
        m.put("cpu_speedup", cpu);
        finish(result, la0);
    }

    /** Prints the JSON of the run and exits (ending what is left of its pools). */
    static void finish(Map<String, Object> result, String loadAverageAtStart) {
        result.put("errors", errors);
        result.put("section_wall_s", sectionTimes);
        result.put("run_conditions", Map.of("loadavg_start", loadAverageAtStart, "loadavg_end", loadavg()));
        result.put("total_runtime_s", rnd((System.nanoTime() - T0) / 1e9, 3));
        for (WorkerPool p : openPools) {
            p.terminate();
        }
        log("done");
        System.out.println(json(result, "  "));
        System.out.flush();
        System.exit(0);
    }
}
