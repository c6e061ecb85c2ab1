import org.jparallel.api.WorkerPool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;

/**
 * What a worker costs to start and to keep, per worker, in figures a loaded machine distorts little: CPU time
 * (user + system, /proc/PID/stat) from its start to its answer to a first task, with the share of each of its
 * threads; its idle RSS and PSS (/proc/PID/smaps_rollup, 1 s after that answer); with
 * {@code -XX:NativeMemoryTracking=summary} among the options, the JVM's committed memory per category
 * ({@code jcmd PID VM.native_memory summary}). Wall time of a pool of 2 until both workers answered is printed
 * too, as a median. Configurations take turns, round after round:
 *
 * <pre>WorkerStartCost ROUNDS name='-Xopt1 -Xopt2' other='' ...</pre>
 *
 * Environment: {@code WORKERS} (workers per pool, default 2); {@code IDLE_MS} (how long the workers stay idle
 * before their memory is read, default 1000); {@code SMAPS_DUMP} (print the first worker's
 * mappings with the most resident memory, and its {@code GC.heap_info}); {@code SMAPS_ADDR} (with it, each
 * anonymous mapping on its own, by address); {@code WORKER_JCMD} (a jcmd command run on the first worker once
 * it is idle, e.g. {@code "JFR.dump filename=/tmp/w.jfr"}: a worker halts, so a recording is only written
 * this way). See bench/README.md ("Worker start-up and size").
 */
public class WorkerStartCost {

    record Sample(double wallS, List<Long> cpuMs, List<Map<String, Long>> threadsMs, List<Map<String, Long>> memKb,
                  List<Map<String, Long>> nmtKb) {
    }

    static long[] stat(Path stat) throws Exception {
        String s = Files.readString(stat);
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return new long[]{Long.parseLong(f[11]), Long.parseLong(f[12])};
    }

    static long cpuMs(long pid) throws Exception {
        long[] t = stat(Path.of("/proc/" + pid + "/stat"));
        return (t[0] + t[1]) * 10;
    }

    /** CPU ms per thread name (numbers dropped, so "C2 CompilerThread0" and "...1" add up). */
    static Map<String, Long> threads(long pid) throws Exception {
        Map<String, Long> m = new TreeMap<>();
        try (var ds = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : ds) {
                String s = Files.readString(t.resolve("stat"));
                String name = s.substring(s.indexOf('(') + 1, s.lastIndexOf(')')).replaceAll("[0-9]+$", "").trim();
                long[] f = stat(t.resolve("stat"));
                m.merge(name, (f[0] + f[1]) * 10, Long::sum);
            }
        }
        return m;
    }

    static Map<String, Long> memory(long pid) throws Exception {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/smaps_rollup"))) {
            String[] w = line.trim().split("\\s+");
            if (w.length == 3 && w[2].equals("kB")) {
                m.put(w[0].replace(":", ""), Long.parseLong(w[1]));
            }
        }
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("RssAnon") || line.startsWith("RssFile") || line.startsWith("Threads")) {
                String[] w = line.split("\\s+");
                m.put(w[0].replace(":", ""), Long.parseLong(w[1]));
            }
        }
        return m;
    }

    static Map<String, Long> nmt(long pid) throws Exception {
        Map<String, Long> m = new LinkedHashMap<>();
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Process p = new ProcessBuilder(jcmd, Long.toString(pid), "VM.native_memory", "summary").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        var matcher = java.util.regex.Pattern.compile("(?m)^[-\\s]*(Total|[A-Z][A-Za-z ]+?) \\(reserved=\\d+KB, committed=(\\d+)KB")
                .matcher(out);
        while (matcher.find()) {
            m.put(matcher.group(1).trim(), Long.parseLong(matcher.group(2)));
        }
        return m;
    }

    /** The mappings of a process with the most resident memory (a look at where its RSS is). */
    static void dumpSmaps(long pid) throws Exception {
        Map<String, long[]> byName = new LinkedHashMap<>();
        String current = null;
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/smaps"))) {
            String[] w = line.trim().split("\\s+");
            if (w.length >= 5 && w[0].contains("-") && !w[0].endsWith(":")) {
                current = w.length >= 6 ? w[5] + " " + w[1] : "[anon] " + w[1] + (System.getenv("SMAPS_ADDR") != null ? " " + w[0] : "");
            } else if (w[0].equals("Rss:")) {
                byName.computeIfAbsent(current, k -> new long[2])[0] += Long.parseLong(w[1]);
            } else if (w[0].equals("Private_Dirty:")) {
                byName.get(current)[1] += Long.parseLong(w[1]);
            }
        }
        byName.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0])).limit(25)
                .forEach(e -> System.out.printf("    smaps %6d kB rss %6d kB private dirty  %s%n", e.getValue()[0], e.getValue()[1], e.getKey()));
    }

    static List<Integer> range(int n) {
        List<Integer> r = new ArrayList<>();
        for (int i = 0; i < n; i++) r.add(i);
        return r;
    }

    /** Workers per pool: 2, or {@code WORKERS} from the environment (1 to train a JDK 25 AOT cache, for instance). */
    static final int WORKERS = Integer.parseInt(System.getenv().getOrDefault("WORKERS", "2"));

    /** How long workers are left idle before their memory is read: 1 s, or {@code IDLE_MS} from the environment. */
    static final long IDLE_MS = Long.parseLong(System.getenv().getOrDefault("IDLE_MS", "1000"));

    static Sample once(List<String> options) throws Exception {
        WorkerPool.Builder builder = WorkerPool.builder().workers(WORKERS);
        options.forEach(builder::jvmOption);
        long t0 = System.nanoTime();
        try (WorkerPool pool = builder.start()) {
            Set<Long> pids = new TreeSet<>();
            while (pids.size() < WORKERS) {
                pids.addAll(pool.map(i -> ProcessHandle.current().pid(), List.of(0, 1), 1));
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            List<Long> cpu = new ArrayList<>();
            List<Map<String, Long>> threads = new ArrayList<>();
            for (long pid : pids) {
                cpu.add(cpuMs(pid));
                threads.add(threads(pid));
            }
            Thread.sleep(IDLE_MS);
            List<Map<String, Long>> mem = new ArrayList<>();
            List<Map<String, Long>> nmt = new ArrayList<>();
            boolean tracking = options.stream().anyMatch(o -> o.startsWith("-XX:NativeMemoryTracking"));
            if (System.getenv("WORKER_JCMD") != null) { // e.g. "JFR.dump filename=/tmp/w.jfr"
                List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                        pids.iterator().next().toString()));
                command.addAll(List.of(System.getenv("WORKER_JCMD").split(" ")));
                Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
                System.out.print(new String(p.getInputStream().readAllBytes()).replaceAll("(?m)^", "    "));
                p.waitFor();
            }
            if (System.getenv("SMAPS_DUMP") != null) {
                dumpSmaps(pids.iterator().next());
                Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                        pids.iterator().next().toString(), "GC.heap_info").redirectErrorStream(true).start();
                System.out.print(new String(p.getInputStream().readAllBytes()).replaceAll("(?m)^", "    "));
                p.waitFor();
            }
            for (long pid : pids) {
                mem.add(memory(pid));
                if (tracking) nmt.add(nmt(pid));
            }
            return new Sample(wall, cpu, threads, mem, nmt);
        }
    }

    static double median(List<? extends Number> xs) {
        List<Double> s = new ArrayList<>();
        xs.forEach(x -> s.add(x.doubleValue()));
        Collections.sort(s);
        int n = s.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    static Map<String, Double> medians(List<Map<String, Long>> maps) {
        Map<String, List<Long>> all = new LinkedHashMap<>();
        maps.forEach(m -> m.forEach((k, v) -> all.computeIfAbsent(k, x -> new ArrayList<>()).add(v)));
        Map<String, Double> out = new LinkedHashMap<>();
        all.forEach((k, v) -> {
            while (v.size() < maps.size()) v.add(0L); // a thread a worker did not have
            out.put(k, median(v));
        });
        return out;
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        Map<String, List<String>> configs = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            String opts = args[i].substring(eq + 1).trim();
            configs.put(args[i].substring(0, eq), opts.isEmpty() ? List.of() : List.of(opts.split("\\s+")));
        }
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        once(List.of()); // this JVM's own class loading, and an archive made if there is none yet
        var launcher = new org.jparallel.internal.launch.WorkerLauncher(System.getProperty("java.class.path"), List.of());
        long deadline = System.nanoTime() + 180_000_000_000L;
        while (launcher.classDataArchive() == null && System.nanoTime() < deadline) {
            Thread.sleep(100); // made by a JVM of its own once the first worker ended
        }
        System.out.println("archive: " + launcher.classDataArchive());
        for (int r = 0; r < rounds; r++) {
            for (var c : configs.entrySet()) {
                samples.computeIfAbsent(c.getKey(), k -> new ArrayList<>()).add(once(c.getValue()));
            }
        }
        System.out.printf("java %s, %d rounds, load %s%n", System.getProperty("java.version"), rounds,
                Files.readString(Path.of("/proc/loadavg")).trim());
        for (var e : samples.entrySet()) {
            List<Sample> s = e.getValue();
            List<Double> wall = new ArrayList<>();
            List<Long> cpu = new ArrayList<>();
            List<Map<String, Long>> threads = new ArrayList<>(), mem = new ArrayList<>(), nmt = new ArrayList<>();
            for (Sample x : s) {
                wall.add(x.wallS());
                cpu.addAll(x.cpuMs());
                threads.addAll(x.threadsMs());
                mem.addAll(x.memKb());
                nmt.addAll(x.nmtKb());
            }
            Map<String, Double> m = medians(mem);
            Collections.sort(cpu);
            System.out.printf("%-14s wall median %.3f s (min %.3f)  CPU to first answer median %.0f ms %s  RSS %.1f MiB PSS %.1f MiB (anon %.1f file %.1f)%n",
                    e.getKey(), median(wall), Collections.min(wall), median(cpu), cpu, m.get("Rss") / 1024, m.get("Pss") / 1024,
                    m.get("RssAnon") / 1024, m.get("RssFile") / 1024);
            StringBuilder t = new StringBuilder("    threads ms:");
            medians(threads).forEach((k, v) -> { if (v >= 10) t.append(String.format(" [%s]=%.0f", k, v)); });
            System.out.println(t);
            if (!nmt.isEmpty()) {
                StringBuilder n = new StringBuilder("    NMT committed MiB:");
                medians(nmt).forEach((k, v) -> { if (v >= 256) n.append(String.format(" %s=%.1f", k, v / 1024)); });
                System.out.println(n);
            }
        }
    }
}
