import org.jparallel.api.AsyncResult;
import org.jparallel.api.Shared;
import org.jparallel.api.SharedBarrier;
import org.jparallel.api.SharedByteArray;
import org.jparallel.api.SharedInt;
import org.jparallel.api.SharedIntArray;
import org.jparallel.api.SharedLong;
import org.jparallel.api.SharedSemaphore;
import org.jparallel.api.WorkerPool;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark of jparallel's shared memory, the Java counterpart of the "value_lock_ops" and "transfer"
 * sections of ../shared/bench/python_mp.py, with 2 processes contending.
 *
 * <p>Run by bench/shared_bench.py, which compiles this file with PoolBench.java (for its JSON and
 * statistics helpers) against the magics jar. Prints ONE JSON object on stdout; progress on stderr.
 * Every metric is {"value", "unit", "reps", ...}, value being the median of reps repetitions.
 *
 * <p>Options: --quick (fewer repetitions).
 */
public final class SharedBench {

    static final double MB = 1_000_000.0;
    static final int PAYLOAD_BYTES = PoolBench.PAYLOAD_BYTES; // 12.5 MB, 8 of them = 100 MB, as in python_mp.py
    static final int ITEMS = 8;
    static final long BARRIER_TIMEOUT_NS = 30_000_000_000L;

    // ------------------------------------------------------------------ worker-side code

    /**
     * Both tasks wait here until both have arrived, so that they contend from the first increment. Two
     * tasks on a ready pool of 2 go to different workers; if they did not, the wait times out.
     */
    static void barrier(SharedInt arrived) {
        arrived.incrementAndGet();
        long deadline = System.nanoTime() + BARRIER_TIMEOUT_NS;
        while (arrived.get() < 2) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the other task never arrived: both tasks went to one worker");
            }
            Thread.onSpinWait();
        }
    }

    /** Python's {@code with v.get_lock(): v.value += 1}, n times. */
    static long lockedIncrements(SharedLong v, SharedInt arrived, long n) {
        barrier(arrived);
        for (long i = 0; i < n; i++) {
            try (var held = v.getLock().hold()) {
                v.set(v.get() + 1);
            }
        }
        return PoolBench.pid();
    }

    static long atomicIncrements(SharedLong v, SharedInt arrived, long n) {
        barrier(arrived);
        for (long i = 0; i < n; i++) {
            v.incrementAndGet();
        }
        return PoolBench.pid();
    }

    /** Python's RawValue {@code v.value += 1}: no lock, updates get lost. */
    static long rawIncrements(SharedLong v, SharedInt arrived, long n) {
        barrier(arrived);
        for (long i = 0; i < n; i++) {
            v.set(v.get() + 1);
        }
        return PoolBench.pid();
    }

    // ------------------------------------------------------------------ increments

    interface Incrementer {
        long run(SharedLong v, SharedInt arrived, long n);
    }

    /** 2 workers x n increments, contending; increments per second over the caller's wall time. */
    static Map<String, Object> benchIncrements(WorkerPool pool, String kind, long n, int reps) throws Exception {
        List<Double> rates = new ArrayList<>();
        List<Long> lost = new ArrayList<>();
        for (int rep = -1; rep < reps; rep++) { // rep -1 warms up, untimed
            try (SharedLong v = kind.equals("raw") ? Shared.rawValue('l', 0) : Shared.longValue(0);
                 SharedInt arrived = Shared.intValue(0)) {
                long each = rep < 0 ? n / 10 : n;
                pool.awaitReady();
                double t0 = PoolBench.now();
                List<Long> pids = switch (kind) {
                    case "locked" -> pool.map(i -> lockedIncrements(v, arrived, each), List.of(0, 1), 1);
                    case "atomic" -> pool.map(i -> atomicIncrements(v, arrived, each), List.of(0, 1), 1);
                    default -> pool.map(i -> rawIncrements(v, arrived, each), List.of(0, 1), 1);
                };
                double wall = PoolBench.now() - t0;
                if (pids.get(0).equals(pids.get(1))) {
                    throw new IllegalStateException("both tasks ran in one worker: " + pids);
                }
                long total = 2 * each;
                if (!kind.equals("raw") && v.get() != total) {
                    throw new IllegalStateException(kind + ": " + v.get() + " of " + total + " increments");
                }
                if (rep >= 0) {
                    rates.add(total / wall);
                    lost.add(total - v.get());
                }
            }
        }
        return PoolBench.metric(Math.round(PoolBench.median(rates)), "increments/s", reps,
                "per_rep", PoolBench.rounded(rates),
                "lost_updates", PoolBench.metric(lost.get(lost.size() / 2), "increments lost of " + 2 * n, reps,
                        "per_rep", lost),
                "note", "2 workers x " + n + " " + switch (kind) {
                    case "locked" -> "`try (var held = v.getLock().hold()) { v.set(v.get() + 1); }`";
                    case "atomic" -> "`v.incrementAndGet()`";
                    default -> "`v.set(v.get() + 1)` on a raw value (no lock)";
                } + " on a SharedLong; tasks start together (barrier); total / wall time of pool.map in the caller");
    }

    // ------------------------------------------------------------------ bytes through a shared array

    /** Worker side: where a worker copies slices to (allocated once per worker, like the payload). */
    private static byte[] inbox;

    /** Waits until {@code flag} passes {@code k}: a short spin, then yielding the CPU to the copying processes. */
    static void awaitAbove(SharedInt flag, int k) {
        long deadline = System.nanoTime() + BARRIER_TIMEOUT_NS;
        for (int spins = 0; flag.get() <= k; spins++) {
            if (spins < 100) {
                Thread.onSpinWait();
            } else if (System.nanoTime() < deadline) {
                Thread.yield();
            } else {
                throw new IllegalStateException("waited 30 s for " + (k + 1));
            }
        }
    }

    /**
     * Worker side, "to workers": says it has started, then copies slices {@code w}, {@code w + 2}, ...
     * into its heap as soon as the counter {@code ready} passes each; returns the bytes read and when it
     * finished ({@link System#nanoTime()}: on Linux one monotonic clock for every process).
     */
    static long[] readSlices(SharedByteArray data, SharedInt started, SharedInt ready, int w) {
        if (inbox == null) {
            inbox = new byte[PAYLOAD_BYTES];
        }
        started.incrementAndGet();
        long bytes = 0;
        for (int k = w; k < ITEMS; k += 2) {
            awaitAbove(ready, k);
            inbox[PAYLOAD_BYTES - 1] = 0;
            data.copyTo(k * PAYLOAD_BYTES, inbox, 0, PAYLOAD_BYTES);
            bytes += inbox.length + inbox[PAYLOAD_BYTES - 1] - 'x';
        }
        return new long[] {bytes, System.nanoTime()};
    }

    /** Worker side, "from workers": says it has started, waits for {@code go}, then fills and flags its slices. */
    static long writeSlices(SharedByteArray data, SharedInt started, SharedInt go, SharedIntArray written, int w) {
        byte[] payload = PoolBench.makePayload();
        started.incrementAndGet();
        awaitAbove(go, 0);
        for (int k = w; k < ITEMS; k += 2) {
            data.copyFrom(payload, 0, k * PAYLOAD_BYTES, PAYLOAD_BYTES);
            written.set(k, 1);
        }
        return PAYLOAD_BYTES;
    }

    static void awaitFlag(SharedIntArray flags, int k) {
        long deadline = System.nanoTime() + BARRIER_TIMEOUT_NS;
        for (int spins = 0; flags.get(k) == 0; spins++) {
            if (spins < 100) {
                Thread.onSpinWait();
            } else if (System.nanoTime() < deadline) {
                Thread.yield();
            } else {
                throw new IllegalStateException("slice " + k + " was never written");
            }
        }
    }

    /**
     * 100 MB streamed through one shared array of 8 x 12.5 MB between the caller and a pool of 2, one
     * task per worker, the hand-over in shared memory (raw flags). "To workers": the caller copies
     * payload k into slice k and raises a counter; worker w copies each of its slices (k = w, w + 2,
     * ...) into its heap as soon as the counter passes k. "From workers": each worker copies its payload
     * into its slices and flags each; the caller copies slice k out as soon as it is flagged.
     *
     * <p>Two times per repetition: <b>streaming</b>, with both tasks already running, from the caller's
     * first copy to the last byte copied out (a worker reports when it finished); <b>end to end</b>,
     * from submitting the two tasks until their results are back, which adds the pool's dispatch.
     * MB/s with MB = 10^6 bytes of payload, as python_mp.py.
     */
    static Map<String, Object> benchTransfer(WorkerPool pool, boolean raw, int reps) throws Exception {
        byte[] payload = PoolBench.makePayload();
        List<Double> to = new ArrayList<>();
        List<Double> toEndToEnd = new ArrayList<>();
        List<Double> from = new ArrayList<>();
        List<Double> fromEndToEnd = new ArrayList<>();
        byte[] all = new byte[ITEMS * PAYLOAD_BYTES];
        try (SharedByteArray data = raw ? Shared.rawArray('b', ITEMS * PAYLOAD_BYTES) : Shared.byteArray(ITEMS * PAYLOAD_BYTES)) {
            for (int rep = -1; rep < reps; rep++) { // rep -1 warms up (pages in, compiles), untimed
                try (SharedInt started = Shared.rawValue('i', 0); SharedInt ready = Shared.rawValue('i', 0)) {
                    pool.awaitReady();
                    double submitted = PoolBench.now();
                    AsyncResult<List<long[]>> tasks = pool.mapAsync(w -> readSlices(data, started, ready, w), List.of(0, 1));
                    awaitAbove(started, 1);
                    long t0 = System.nanoTime();
                    for (int k = 0; k < ITEMS; k++) {
                        data.copyFrom(payload, 0, k * PAYLOAD_BYTES, PAYLOAD_BYTES);
                        ready.set(k + 1);
                    }
                    List<long[]> got = tasks.get();
                    double returned = PoolBench.now();
                    if (got.get(0)[0] + got.get(1)[0] != (long) ITEMS * PAYLOAD_BYTES) {
                        throw new IllegalStateException("the workers read " + got.get(0)[0] + " + " + got.get(1)[0]);
                    }
                    if (rep >= 0) {
                        to.add((Math.max(got.get(0)[1], got.get(1)[1]) - t0) / 1e9);
                        toEndToEnd.add(returned - submitted);
                    }
                }
            }
            for (int rep = -1; rep < reps; rep++) {
                Arrays.fill(all, (byte) 0);
                try (SharedInt started = Shared.rawValue('i', 0); SharedInt go = Shared.rawValue('i', 0);
                     SharedIntArray written = Shared.rawArray('i', ITEMS)) {
                    pool.awaitReady();
                    double submitted = PoolBench.now();
                    AsyncResult<List<Long>> tasks = pool.mapAsync(w -> writeSlices(data, started, go, written, w), List.of(0, 1));
                    awaitAbove(started, 1);
                    long t0 = System.nanoTime();
                    go.set(1);
                    for (int k = 0; k < ITEMS; k++) {
                        awaitFlag(written, k);
                        data.copyTo(k * PAYLOAD_BYTES, all, k * PAYLOAD_BYTES, PAYLOAD_BYTES);
                    }
                    long t1 = System.nanoTime();
                    tasks.get();
                    double returned = PoolBench.now();
                    if (all[0] != 'x' || all[all.length - 1] != 'x') {
                        throw new IllegalStateException("the caller did not see the workers' bytes");
                    }
                    if (rep >= 0) {
                        from.add((t1 - t0) / 1e9);
                        fromEndToEnd.add(returned - submitted);
                    }
                }
            }
        }
        double total = ITEMS * PAYLOAD_BYTES / MB;
        String how = raw ? "raw SharedByteArray (no lock)" : "SharedByteArray (bulk copies under its lock)";
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("to_workers_MBps", rate(total, to, reps, how + " of 8 x 12.5 MB, Pool of 2, one task per worker, both"
                + " already running: from the caller's first copy (it copies payload k into slice k, then raises a raw"
                + " SharedInt) to the end of the last worker's copy (each copies its slices into a byte[] of its heap,"
                + " allocated once, as the counter passes them)"));
        m.put("to_workers_end_to_end_MBps", rate(total, toEndToEnd, reps,
                "the same, from mapAsync (submitting the 2 tasks) until their results are back"));
        m.put("from_workers_MBps", rate(total, from, reps, how + ", Pool of 2, one task per worker, both already"
                + " running: from the go signal (each worker then copies a 12.5 MB payload, built once per worker,"
                + " into each of its 4 slices and flags it in a raw SharedIntArray) until the caller has copied every"
                + " flagged slice into a byte[] (allocated once)"));
        m.put("from_workers_end_to_end_MBps", rate(total, fromEndToEnd, reps,
                "the same, from mapAsync (submitting the 2 tasks) until their results are back"));
        return m;
    }

    /** MB per second for {@code megabytes} moved in each of {@code seconds}: the median, with every repetition. */
    static Map<String, Object> rate(double megabytes, List<Double> seconds, int reps, String note) {
        return PoolBench.metric(PoolBench.rnd(megabytes / PoolBench.median(seconds)), "MB/s", reps,
                "wall_s", PoolBench.rnd(PoolBench.median(seconds)), "per_rep_s", PoolBench.rounded(seconds),
                "note", note);
    }

    // ------------------------------------------------------------------ synchronization

    /** Runs {@code step} n times, once both tasks have arrived: the worker side of {@link #benchSync}. */
    static long repeated(SharedInt arrived, long n, Runnable step) {
        barrier(arrived);
        for (long i = 0; i < n; i++) {
            step.run();
        }
        return PoolBench.pid();
    }

    /**
     * 2 workers contending: n semaphore acquire/release pairs each (pairs per second over both), or n
     * rounds of a 2-party barrier (rounds per second), over the caller's wall time of pool.map.
     */
    static Map<String, Object> benchSync(WorkerPool pool, String kind, long n, int reps) throws Exception {
        boolean semaphore = kind.equals("semaphore");
        List<Double> rates = new ArrayList<>();
        for (int rep = -1; rep < reps; rep++) { // rep -1 warms up, untimed
            try (SharedSemaphore permit = Shared.semaphore(1); SharedBarrier step = Shared.barrier(2);
                 SharedInt arrived = Shared.intValue(0)) {
                long each = rep < 0 ? n / 10 : n;
                pool.awaitReady();
                double t0 = PoolBench.now();
                List<Long> pids = semaphore
                        ? pool.map(i -> repeated(arrived, each, () -> { // Python's sem.acquire(); sem.release()
                            permit.acquire();
                            permit.release();
                        }), List.of(0, 1), 1)
                        : pool.map(i -> repeated(arrived, each, step::await), List.of(0, 1), 1); // Python's b.wait()
                double wall = PoolBench.now() - t0;
                if (pids.get(0).equals(pids.get(1))) {
                    throw new IllegalStateException("both tasks ran in one worker: " + pids);
                }
                if (semaphore && permit.availablePermits() != 1 || !semaphore && step.isBroken()) {
                    throw new IllegalStateException(kind + " left in a wrong state: " + (semaphore ? permit : step));
                }
                if (rep >= 0) {
                    rates.add((semaphore ? 2 * each : each) / wall);
                }
            }
        }
        return PoolBench.metric(Math.round(PoolBench.median(rates)), semaphore ? "pairs/s" : "rounds/s", reps,
                "per_rep", PoolBench.rounded(rates),
                "note", semaphore
                        ? "2 workers x " + n + " `s.acquire(); s.release();` on Shared.semaphore(1); pairs of both"
                                + " / wall time of pool.map in the caller"
                        : "2 workers x " + n + " `b.await()` on Shared.barrier(2); rounds (both parties passed)"
                                + " / wall time of pool.map in the caller");
    }

    // ------------------------------------------------------------------ main

    public static void main(String[] args) throws Exception {
        boolean quick = Arrays.asList(args).contains("--quick");
        int reps = quick ? 3 : 5;
        String la0 = PoolBench.loadavg();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("machine", PoolBench.machine());
        Map<String, Object> metrics = new LinkedHashMap<>();
        try (WorkerPool pool = WorkerPool.start(2).awaitReady()) {
            PoolBench.log("locked increments");
            Map<String, Object> ops = new LinkedHashMap<>();
            ops.put("locked", benchIncrements(pool, "locked", quick ? 1_000_000 : 2_000_000, reps));
            PoolBench.log("atomic increments");
            ops.put("atomic", benchIncrements(pool, "atomic", quick ? 5_000_000 : 20_000_000, reps));
            PoolBench.log("raw increments");
            ops.put("raw_no_lock", benchIncrements(pool, "raw", quick ? 5_000_000 : 20_000_000, reps));
            metrics.put("value_ops", ops);
            PoolBench.log("semaphore pairs and barrier rounds");
            Map<String, Object> sync = new LinkedHashMap<>();
            sync.put("semaphore_pairs", benchSync(pool, "semaphore", quick ? 500_000 : 2_000_000, reps));
            sync.put("barrier_rounds", benchSync(pool, "barrier", quick ? 50_000 : 200_000, reps));
            metrics.put("sync", sync);
            PoolBench.log("bytes through a shared array");
            metrics.put("shared_array", benchTransfer(pool, false, reps));
            metrics.put("raw_shared_array", benchTransfer(pool, true, reps));
            List<Long> pids = pool.status().stream().map(s -> s.pid()).toList();
            pool.close();
            pool.join();
            for (long pid : pids) {
                if (!org.jparallel.internal.shm.SharedMemory.segmentsCreatedBy(pid).isEmpty()) {
                    throw new IllegalStateException("worker " + pid + " left segments behind");
                }
            }
        }
        if (!org.jparallel.internal.shm.SharedMemory.segmentsCreatedBy(ProcessHandle.current().pid()).isEmpty()) {
            throw new IllegalStateException("the benchmark left segments behind");
        }
        result.put("metrics", metrics);
        result.put("run_conditions", Map.of("loadavg_start", la0, "loadavg_end", PoolBench.loadavg()));
        System.out.println(PoolBench.json(result, "  "));
        PoolBench.log("done");
    }
}
