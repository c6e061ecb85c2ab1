import org.jparallel.api.WorkerPool;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Per thread of the calling JVM (K) and of the two workers (W): CPU time in microseconds and context switches
 * (voluntary: the thread slept; involuntary: it was preempted) per operation, from /proc/PID/task/TID/schedstat
 * (nanoseconds, unlike the 10 ms ticks of PoolCpuCost) and status, and the user and system parts from stat.
 * What one apply or one task costs where, and how many thread hand-offs it takes, on a loaded machine too.
 * See bench/README.md.
 *
 * <p>{@code PoolThreadCost apply|chunk1|both N [rounds]}: N applies, and/or a map of N elements with chunk size 1,
 * after a warm-up, each round printed. {@code PoolThreadCost cold N}: the first map of N elements in a fresh pool
 * (default chunk size), then the same map again; the /proc reading of this program is run (and so compiled) 30
 * times first, else its compiling lands in the calling JVM's figures for the map (10 to 15 ms of them).
 * {@code -Dcost.pause=MS}: prints the PIDs and waits before the measured rounds, so that {@code strace -c -f -p PID}
 * can be attached to each process. {@code -Dcost.workerOptions="-XX:... -XX:..."}: JVM options for the workers.
 * {@code -Dcost.warmups=K}: K rounds of warm-up (a map of N with chunk size 1 and 2,000 applies each) instead of 3;
 * with 0, the measured rounds show the workers' C2 compiling their per-task path.
 */
public class PoolThreadCost {

    /**
     * Waits until this JVM's compilers are done with what was queued: until their total time stops growing between
     * two looks 20 ms apart, for at most 2 s.
     */
    static void compilesSettled() throws InterruptedException {
        var compilation = java.lang.management.ManagementFactory.getCompilationMXBean();
        long deadline = System.nanoTime() + 2_000_000_000L;
        long seen = -1;
        while (System.nanoTime() < deadline) {
            long now = compilation.getTotalCompilationTime();
            if (now == seen) {
                return;
            }
            seen = now;
            Thread.sleep(20);
        }
    }

    /**
     * A thread's (or a group of same-named threads') CPU time and time spent runnable but waiting for a CPU (ns,
     * schedstat), context switches, user and system ticks.
     */
    record Cost(long cpuNs, long runQueueNs, long voluntary, long involuntary, long userTicks, long systemTicks) {
        Cost plus(Cost o) {
            return new Cost(cpuNs + o.cpuNs, runQueueNs + o.runQueueNs, voluntary + o.voluntary,
                    involuntary + o.involuntary, userTicks + o.userTicks, systemTicks + o.systemTicks);
        }

        Cost minus(Cost o) {
            return new Cost(cpuNs - o.cpuNs, runQueueNs - o.runQueueNs, voluntary - o.voluntary,
                    involuntary - o.involuntary, userTicks - o.userTicks, systemTicks - o.systemTicks);
        }
    }

    static final Cost NONE = new Cost(0, 0, 0, 0, 0, 0);

    /** The threads of process {@code pid} ("self" for this one), by name without a trailing number. */
    static Map<String, Cost> threadsOf(String pid, String prefix, Map<String, Cost> into) throws Exception {
        try (var tasks = Files.newDirectoryStream(Path.of("/proc", pid, "task"))) {
            for (Path t : tasks) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[-_ ]?[0-9]+$", "");
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    String[] schedstat = Files.readString(t.resolve("schedstat")).trim().split(" ");
                    long cpu = Long.parseLong(schedstat[0]);
                    long runQueue = Long.parseLong(schedstat[1]);
                    long voluntary = 0;
                    long involuntary = 0;
                    for (String line : Files.readAllLines(t.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches")) {
                            voluntary = Long.parseLong(line.replaceAll("[^0-9]", ""));
                        } else if (line.startsWith("nonvoluntary_ctxt_switches")) {
                            involuntary = Long.parseLong(line.replaceAll("[^0-9]", ""));
                        }
                    }
                    into.merge(prefix + name, new Cost(cpu, runQueue, voluntary, involuntary, Long.parseLong(f[11]),
                            Long.parseLong(f[12])), Cost::plus);
                } catch (NoSuchFileException e) {
                    // the thread ended meanwhile
                }
            }
        }
        return into;
    }

    static Map<String, Cost> all(List<Long> workers) throws Exception {
        Map<String, Cost> m = threadsOf("self", "K ", new TreeMap<>());
        for (long pid : workers) {
            threadsOf(Long.toString(pid), "W ", m);
        }
        return m;
    }

    /**
     * Per operation, and as shares of the wall time {@code wallNs} (summed over a group's threads): on a CPU, waiting
     * for one (runnable), and the rest, asleep. A thread of a pipeline that is kept full is seldom asleep.
     */
    static void report(String what, Map<String, Cost> before, Map<String, Cost> after, long n, long wallNs) {
        System.out.println(what);
        Cost kernel = NONE;
        Cost workers = NONE;
        for (var e : after.entrySet()) {
            Cost d = e.getValue().minus(before.getOrDefault(e.getKey(), NONE));
            if (e.getKey().startsWith("K")) {
                kernel = kernel.plus(d);
            } else {
                workers = workers.plus(d);
            }
            if (d.cpuNs / 1e3 / n >= 0.05 || d.voluntary / (double) n >= 0.05) {
                System.out.printf("   %-24s cpu %8.2f us/op  vcs %.2f/op  ivcs %.2f/op  user %.1f sys %.1f us/op"
                                + "  | of the wall: on cpu %3.0f%% runnable %3.0f%%%n",
                        e.getKey(), d.cpuNs / 1e3 / n, d.voluntary / (double) n, d.involuntary / (double) n,
                        d.userTicks * 1e4 / n, d.systemTicks * 1e4 / n, 100.0 * d.cpuNs / wallNs,
                        100.0 * d.runQueueNs / wallNs);
            }
        }
        System.out.printf("   TOTAL kernel cpu %.2f us/op vcs %.2f/op | workers cpu %.2f us/op vcs %.2f/op"
                        + " | all JVMs on %.2f CPUs over the wall%n", kernel.cpuNs / 1e3 / n, kernel.voluntary / (double) n,
                workers.cpuNs / 1e3 / n, workers.voluntary / (double) n, (kernel.cpuNs + workers.cpuNs) / (double) wallNs);
    }

    static List<Integer> range(int n) {
        List<Integer> r = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            r.add(i);
        }
        return r;
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int n = Integer.parseInt(args[1]);
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        WorkerPool.Builder builder = WorkerPool.builder().workers(2);
        for (String option : System.getProperty("cost.workerOptions", "").trim().split(" +")) {
            if (!option.isEmpty()) {
                builder.jvmOption(option);
            }
        }
        try (WorkerPool pool = builder.start()) {
            Set<Long> pids = new TreeSet<>();
            while (pids.size() < 2) {
                pids.addAll(pool.map(i -> ProcessHandle.current().pid(), range(8), 1));
            }
            List<Long> workers = new ArrayList<>(pids);
            List<Integer> data = range(n);
            if (mode.equals("cold")) {
                for (int i = 0; i < 30; i++) {
                    all(workers);
                }
                compilesSettled(); // the compiles that reading queued finish before the clock starts
                for (String which : List.of("first map in a fresh pool", "second map")) {
                    var before = all(workers);
                    long t0 = System.nanoTime();
                    pool.map(x -> x * x, data);
                    long t1 = System.nanoTime();
                    report(String.format("%s, %d elements: %.2f M/s (wall, loaded)", which, n, n / ((t1 - t0) / 1e3)),
                            before, all(workers), n, t1 - t0);
                }
                return;
            }
            for (int i = 0; i < Integer.getInteger("cost.warmups", 3); i++) {
                pool.map(x -> x * x, data, 1);
                for (int j = 0; j < 2000; j++) {
                    pool.apply(x -> x * x, 3);
                }
            }
            String pause = System.getProperty("cost.pause");
            if (pause != null) {
                System.out.println("PIDS " + ProcessHandle.current().pid() + " " + workers.get(0) + " " + workers.get(1));
                System.out.flush();
                Thread.sleep(Long.parseLong(pause));
            }
            for (int r = 0; r < rounds; r++) {
                if (!mode.equals("chunk1")) {
                    long[] latency = new long[n];
                    var before = all(workers);
                    long t0 = System.nanoTime();
                    for (int i = 0; i < n; i++) {
                        long t = System.nanoTime();
                        pool.apply(x -> x * x, 3);
                        latency[i] = System.nanoTime() - t;
                    }
                    long t1 = System.nanoTime();
                    var after = all(workers);
                    Arrays.sort(latency);
                    report(String.format("%d applies: median %.1f us (wall, loaded)", n, latency[n / 2] / 1e3), before,
                            after, n, t1 - t0);
                }
                if (!mode.equals("apply")) {
                    var before = all(workers);
                    long t0 = System.nanoTime();
                    pool.map(x -> x * x, data, 1);
                    long t1 = System.nanoTime();
                    report(String.format("map of %d, chunk size 1: %.0f tasks/s (wall, loaded)", n, n / ((t1 - t0) / 1e9)),
                            before, all(workers), n, t1 - t0);
                }
            }
        }
    }
}
