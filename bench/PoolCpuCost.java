import org.jparallel.api.WorkerPool;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;

/**
 * CPU time per MB through task arguments and results, and per task, of the calling JVM (the kernel's part) and
 * of the workers, read from /proc (Linux, 10 ms ticks): figures that hold on a loaded machine, where wall times
 * do not. {@code bytes}: 8 x 12.5 MB byte[] to the workers and back, 8 times each; {@code tasks}: a map of
 * 20,000 with chunk size 1, a map of 1M with the default chunk size, 2,000 applies, three rounds. Ends with the
 * calling JVM's CPU time per thread. See bench/README.md.
 */
public class PoolCpuCost {
    static final int PAYLOAD = 12_500_000;
    static byte[] cached;
    static byte[] payload() { if (cached == null) { cached = new byte[PAYLOAD]; Arrays.fill(cached, (byte) 'y'); } return cached; }

    static long ticks(long pid) throws Exception {
        String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
    static long selfCpuNs() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
    static List<Long> pids;
    static Map<String, Long> threads() throws Exception { return threads("self"); }
    /** CPU ticks per thread name of process {@code pid}, summed over threads of one name. */
    static Map<String, Long> threads(String pid) throws Exception {
        Map<String, Long> m = new TreeMap<>();
        try (var ds = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : ds) {
                String s = Files.readString(t.resolve("stat"));
                String name = s.substring(s.indexOf('(') + 1, s.lastIndexOf(')'));
                // schedstat: nanoseconds on a CPU, exact where the 10 ms ticks of stat are sampled
                long ns = Long.parseLong(Files.readString(t.resolve("schedstat")).split(" ")[0]);
                m.merge(name, ns / 10_000_000, Long::sum);
            }
        }
        return m;
    }
    static long workerTicks() throws Exception { long t = 0; for (long p : pids) t += ticks(p); return t; }
    static Map<String, Long> workerThreads() throws Exception {
        Map<String, Long> m = new TreeMap<>();
        for (long p : pids) threads(String.valueOf(p)).forEach((k, v) -> m.merge(k, v, Long::sum));
        return m;
    }
    /** The threads whose CPU grew by more than 20 ms from {@code before} to {@code after}, in ms per MB. */
    static String perMb(Map<String, Long> before, Map<String, Long> after, double mb) {
        StringBuilder b = new StringBuilder();
        after.forEach((k, v) -> { long d = v - before.getOrDefault(k, 0L); if (d > 2) b.append(String.format(" [%s]=%.2f", k, d * 10 / mb)); });
        return b.toString();
    }
    static double median(List<Double> xs) { List<Double> s = new ArrayList<>(xs); Collections.sort(s); return s.get(s.size() / 2); }
    static List<Integer> range(int n) { List<Integer> r = new ArrayList<>(n); for (int i = 0; i < n; i++) r.add(i); return r; }

    public static void main(String[] a) throws Exception {
        String mode = a[0];
        int workers = a.length > 1 ? Integer.parseInt(a[1]) : 2;
        // -Dcost.workerJvm="-Xlog:gc:file=/tmp/w%p.log -X..." adds options to every worker JVM
        WorkerPool.Builder builder = WorkerPool.builder().workers(workers);
        for (String option : System.getProperty("cost.workerJvm", "").split(" ")) if (!option.isBlank()) builder.jvmOption(option);
        try (WorkerPool pool = builder.start()) {
            Set<Long> ps = new TreeSet<>();
            while (ps.size() < workers) ps.addAll(pool.map(i -> ProcessHandle.current().pid(), range(workers * 4), 1));
            pids = new ArrayList<>(ps);
            Map<String, Long> before = threads();
            if (mode.equals("bytes")) bytes(pool);
            else tasks(pool, workers);
            Map<String, Long> after = threads();
            StringBuilder b = new StringBuilder("caller threads CPU ms:");
            after.forEach((k, v) -> { long d = v - before.getOrDefault(k, 0L); if (d > 2) b.append(" [").append(k).append("]=").append(d * 10); });
            System.out.println(b);
        }
    }

    static void bytes(WorkerPool pool) throws Exception {
        byte[] p = new byte[PAYLOAD];
        Arrays.fill(p, (byte) 'x');
        List<byte[]> data = Collections.nCopies(8, p);
        for (int i = 0; i < 3; i++) { pool.map((byte[] b) -> b.length, data); pool.map(i2 -> payload(), range(8)); }
        int reps = 8;
        List<Double> to = new ArrayList<>(), from = new ArrayList<>();
        Map<String, Long> k0 = threads(), t0 = workerThreads();
        long c0 = selfCpuNs(), w0 = workerTicks();
        for (int r = 0; r < reps; r++) { long t = System.nanoTime(); pool.map((byte[] b) -> b.length, data); to.add((System.nanoTime() - t) / 1e9); }
        long c1 = selfCpuNs(), w1 = workerTicks();
        Map<String, Long> k1 = threads(), t1 = workerThreads();
        for (int r = 0; r < reps; r++) { long t = System.nanoTime(); List<byte[]> x = pool.map(i -> payload(), range(8)); from.add((System.nanoTime() - t) / 1e9); if (x.get(7).length != PAYLOAD) throw new IllegalStateException(); }
        long c2 = selfCpuNs(), w2 = workerTicks();
        Map<String, Long> k2 = threads(), t2 = workerThreads();
        double mb = reps * 100.0;
        System.out.printf("to:   %.0f MB/s median (%s)  caller CPU %.2f ms/MB  workers CPU %.2f ms/MB%n", 100 / median(to), fmt(to), (c1 - c0) / 1e6 / mb, (w1 - w0) * 10.0 / mb);
        System.out.printf("from: %.0f MB/s median (%s)  caller CPU %.2f ms/MB  workers CPU %.2f ms/MB%n", 100 / median(from), fmt(from), (c2 - c1) / 1e6 / mb, (w2 - w1) * 10.0 / mb);
        System.out.println("to, ms/MB per thread: caller" + perMb(k0, k1, mb) + " | workers" + perMb(t0, t1, mb));
        System.out.println("from, ms/MB per thread: caller" + perMb(k1, k2, mb) + " | workers" + perMb(t1, t2, mb));
    }

    static String fmt(List<Double> xs) { StringBuilder b = new StringBuilder(); for (double x : xs) b.append(String.format("%.0f ", 100 / x)); return b.toString().trim(); }

    static void tasks(WorkerPool pool, int workers) throws Exception {
        List<Integer> small = range(20_000);
        List<Integer> big = range(1_000_000);
        for (int i = 0; i < 10; i++) { pool.map(x -> x * x, small, 1); pool.map(x -> x * x, big); }
        for (int i = 0; i < 500; i++) pool.apply(x -> x * x, 3);
        for (int round = 0; round < 3; round++) {
            long c0 = selfCpuNs(), w0 = workerTicks(), t0 = System.nanoTime();
            pool.map(x -> x * x, small, 1);
            long t1 = System.nanoTime(), c1 = selfCpuNs(), w1 = workerTicks();
            System.out.printf("chunk 1: %.0f tasks/s, caller CPU %.1f us/task, workers CPU %.1f us/task%n",
                    small.size() / ((t1 - t0) / 1e9), (c1 - c0) / 1e3 / small.size(), (w1 - w0) * 1e4 / small.size());
            c0 = selfCpuNs(); t0 = System.nanoTime();
            pool.map(x -> x * x, big);
            t1 = System.nanoTime(); c1 = selfCpuNs();
            System.out.printf("1M default chunk: %.0f elements/s, caller CPU %.0f ns/element%n", big.size() / ((t1 - t0) / 1e9), (c1 - c0) / (double) big.size());
            List<Double> ap = new ArrayList<>();
            c0 = selfCpuNs(); w0 = workerTicks();
            for (int i = 0; i < 2000; i++) { long t = System.nanoTime(); pool.apply(x -> x * x, 3); ap.add((System.nanoTime() - t) / 1e3); }
            c1 = selfCpuNs(); w1 = workerTicks();
            System.out.printf("apply: median %.1f us, caller CPU %.1f us/call, workers CPU %.1f us/call%n", median(ap), (c1 - c0) / 1e3 / 2000, (w1 - w0) * 1e4 / 2000);
        }
    }
}
