import org.jparallel.api.Shared;
import org.jparallel.api.SharedConnection;
import org.jparallel.api.SharedInt;
import org.jparallel.api.SharedPipe;
import org.jparallel.api.SharedQueue;
import org.jparallel.api.WorkerProcess;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark of jparallel's queues and pipes, the Java counterpart of the "queue_msgs" section of
 * ../shared/bench/python_mp.py: one producer process (a {@link WorkerProcess}, as Python's {@code Process})
 * sends N small ints to this process, which receives them one by one.
 *
 * <p>Run by bench/messaging_bench.py, which compiles this file with PoolBench.java (for its JSON and
 * statistics helpers) against the magics jar. Prints ONE JSON object on stdout; progress on stderr.
 * Every metric is {"value", "unit", "reps", ...}, value being the median of reps repetitions.
 *
 * <p>Options: --quick (3 repetitions instead of 5).
 */
public final class MessagingBench {

    static final int N = 200_000; // as python_mp.py
    static final Duration LIMIT = Duration.ofSeconds(120);

    /** Producer side: says it is ready, waits for go (as Python's {@code go.wait()}), then runs {@code body}. */
    static void whenGo(SharedInt ready, SharedInt go, Runnable body) {
        ready.set(1);
        while (go.get() == 0) {
            Thread.onSpinWait();
        }
        body.run();
    }

    interface Run {
        /** Starts the producer, lets it go, receives N messages; returns the seconds from go to the last one. */
        double once(SharedInt ready, SharedInt go) throws Exception;
    }

    /** Waits until the producer process is up and waiting, then returns the time at which it is told to go. */
    static double go(SharedInt ready, SharedInt go) {
        while (ready.get() == 0) {
            Thread.onSpinWait();
        }
        double t0 = PoolBench.now();
        go.set(1);
        return t0;
    }

    static double queueOnce(SharedInt ready, SharedInt go) throws Exception {
        try (SharedQueue<Integer> q = Shared.queue()) {
            WorkerProcess producer = WorkerProcess.start(() -> whenGo(ready, go, () -> {
                for (int i = 0; i < N; i++) {
                    q.put(i);
                }
                q.put(-1); // a queue item cannot be null: -1 is the end
            }));
            double t0 = go(ready, go);
            int count = 0;
            while (q.get() >= 0) {
                count++;
            }
            double seconds = PoolBench.now() - t0;
            ended(producer, count);
            return seconds;
        }
    }

    static double pipeOnce(SharedInt ready, SharedInt go) throws Exception {
        try (SharedPipe<Integer> pipe = Shared.pipe(false)) {
            SharedConnection<Integer> w = pipe.second();
            SharedConnection<Integer> r = pipe.first();
            WorkerProcess producer = WorkerProcess.start(() -> whenGo(ready, go, () -> {
                for (int i = 0; i < N; i++) {
                    w.send(i);
                }
                w.send(null);
                w.close();
            }));
            double t0 = go(ready, go);
            int count = 0;
            while (r.recv() != null) {
                count++;
            }
            double seconds = PoolBench.now() - t0;
            ended(producer, count);
            return seconds;
        }
    }

    static void ended(WorkerProcess producer, int count) throws InterruptedException {
        if (!producer.join(LIMIT) || producer.exitCode().orElse(-1) != 0) {
            throw new IllegalStateException("the producer failed: " + producer + " " + producer.failure());
        }
        if (count != N) {
            throw new IllegalStateException("received " + count + " of " + N);
        }
    }

    static Map<String, Object> bench(String what, Run run, int reps, String note) throws Exception {
        List<Double> rates = new ArrayList<>();
        for (int rep = -1; rep < reps; rep++) { // rep -1 warms up, untimed
            try (SharedInt ready = Shared.intValue(0); SharedInt go = Shared.intValue(0)) {
                double seconds = run.once(ready, go);
                if (rep >= 0) {
                    rates.add(N / seconds);
                }
                PoolBench.log(String.format("  %s %d: %.0f msgs/s", what, rep, N / seconds));
            }
        }
        return PoolBench.metric(Math.round(PoolBench.median(rates)), "msgs/s", reps,
                "per_rep", PoolBench.rounded(rates), "note", note);
    }

    public static void main(String[] args) throws Exception {
        int reps = Arrays.asList(args).contains("--quick") ? 3 : 5;
        String la0 = PoolBench.loadavg();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("machine", PoolBench.machine());
        Map<String, Object> metrics = new LinkedHashMap<>();
        PoolBench.log("queue: " + N + " ints from a WorkerProcess");
        metrics.put("queue_msgs_per_s", bench("queue", MessagingBench::queueOnce, reps,
                "Shared.queue(), 1 producer WorkerProcess -> this JVM, " + N + " small ints, get() one by one"));
        PoolBench.log("pipe: " + N + " ints from a WorkerProcess");
        metrics.put("pipe_msgs_per_s", bench("pipe", MessagingBench::pipeOnce, reps,
                "Shared.pipe(false), same traffic, recv() one by one"));
        if (!org.jparallel.internal.shm.SharedMemory.segmentsCreatedBy(ProcessHandle.current().pid()).isEmpty()) {
            throw new IllegalStateException("the benchmark left segments behind");
        }
        result.put("metrics", metrics);
        result.put("run_conditions", Map.of("loadavg_start", la0, "loadavg_end", PoolBench.loadavg()));
        System.out.println(PoolBench.json(result, "  "));
        PoolBench.log("done");
    }
}
