package org.jparallel.internal.magic;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.magic.LineMagic;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.jparallel.api.RunTimeline;
import org.jparallel.api.SlurmJob;
import org.jparallel.api.WorkerStatus;
import org.jparallel.internal.launch.RemoteHost;
import org.jparallel.internal.launch.SshOptions;
import org.jparallel.internal.pool.RealWorkerPool;
import org.jparallel.kernel.JavaKernel;
import org.jparallel.kernel.magic.MagicException;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code %pool}: shows the notebook's pool (worker, PID, state, tasks done, CPU time, RSS), or
 * {@code start N [--jvm-opt OPT]…}, {@code restart}, {@code resize N}, {@code stop} it; {@code timeline} shows
 * the timeline of the last run on it ({@code --trace FILE} also writes it as a Chrome trace); {@code dict NAME},
 * {@code list NAME}, {@code namespace NAME} declare a variable of the pool's manager ({@link ManagedVariable});
 * {@code help} (or {@code --help}) shows the usage line.
 */
final class PoolMagic {

    static final String USAGE = "%pool | %pool start [N] [--jvm-opt OPT]... [--hosts HOST[:N][,HOST[:N]]... [--listen ADDRESS]"
            + " [--ssh-opt OPT]... [--java-home DIR]] [--slurm [--partition P] [--time T] [--account A]"
            + " [--slurm-opt OPT]... [--pending-limit SECONDS]] | %pool restart | %pool resize N | %pool stop"
            + " | %pool timeline [--trace FILE] | %pool dict|list|namespace NAME";

    private PoolMagic() {
    }

    static LineMagic<Object, JavaKernel> line() {
        return (kernel, rawArgs) -> {
            MagicArgs args = MagicArgs.parse(rawArgs, Set.of("--trace", "--hosts", "--listen", "--java-home", "--partition",
                    "--time", "--account", "--pending-limit"), Set.of("--jvm-opt", "--ssh-opt", "--slurm-opt"),
                    Set.of("--slurm"), USAGE);
            List<String> words = args.positional();
            String command = words.isEmpty() ? "status" : words.get(0);
            if (args.helpAsked() || command.equals("help")) {
                return args.usage();
            }
            if (args.value("--trace") != null && !command.equals("timeline")) {
                throw args.error("--trace goes with %pool timeline only");
            }
            switch (command) {
                case "status":
                    return status(NotebookPool.current());
                case "start": {
                    SshOptions hosts = hosts(args);
                    if (args.flag("--slurm")) { // N is the job's: the pool's workers are the hosts' and the job's
                        SshOptions ssh = hosts.withSlurm(slurm(args, size(args, words, 0))).withProcessorCounts();
                        return status(NotebookPool.start(ssh.workers(), args.all("--jvm-opt"), ssh));
                    }
                    slurm(args, 0); // refuses Slurm's options without --slurm
                    SshOptions ssh = hosts.withProcessorCounts();
                    // with --hosts, workers on this machine only if N says so
                    int local = size(args, words, ssh.hosts().isEmpty() ? Runtime.getRuntime().availableProcessors() : 0);
                    return status(NotebookPool.start(local + ssh.workers(), args.all("--jvm-opt"), ssh));
                }
                case "restart": {
                    RealWorkerPool old = NotebookPool.current();
                    int size = old == null ? Runtime.getRuntime().availableProcessors() : old.size();
                    List<String> options = old == null ? List.of() : old.options().jvmOptions();
                    return status(NotebookPool.start(size, options, old == null ? SshOptions.NONE : old.options().ssh()));
                }
                case "resize": {
                    if (words.size() != 2) {
                        throw args.error("resize needs the new number of workers");
                    }
                    int size = size(args, words, 0); // before get(), which starts a pool if there is none
                    RealWorkerPool pool = NotebookPool.get();
                    pool.resize(size);
                    return status(pool);
                }
                case "stop": {
                    List<Long> ended = NotebookPool.stop();
                    return new DisplayData(ended.isEmpty() ? "no pool was running"
                            : "stopped the pool: " + ended.size() + (ended.size() == 1 ? " worker" : " workers")
                            + " ended (pid " + ended.stream().map(String::valueOf).collect(Collectors.joining(", "))
                            + "); no pool now: the next %%parallel cell starts a new one");
                }
                case "timeline":
                    return timeline(args, words);
                case "dict", "list", "namespace":
                    return ManagedVariable.declare(kernel, args, words);
                default:
                    throw args.error("unknown %pool command " + command);
            }
        };
    }

    /** The last run's timeline, written as a Chrome trace to {@code --trace FILE} (relative to the kernel's directory) too. */
    private static DisplayData timeline(MagicArgs args, List<String> words) {
        if (words.size() > 1) {
            throw args.error("unexpected argument " + words.get(1));
        }
        String trace = args.value("--trace");
        if (trace != null && trace.isBlank()) {
            throw args.error("--trace needs a file name");
        }
        RealWorkerPool pool = NotebookPool.current();
        RunTimeline timeline = pool == null ? null : pool.lastTimeline();
        if (timeline == null) {
            return new DisplayData(pool == null ? "no pool: a timeline shows the last run on the notebook's pool"
                    : "no run yet on this pool: %pool timeline shows the last one");
        }
        DisplayData shown = TimelineDisplay.of(timeline);
        if (trace != null) {
            Path file = Path.of(trace).toAbsolutePath();
            try {
                timeline.writeChromeTrace(file);
            } catch (IOException | RuntimeException e) {
                throw new MagicException("cannot write the trace to " + file + ": " + e, e);
            }
            String note = "Chrome trace written to " + file + " (open it in https://ui.perfetto.dev)";
            shown.putText(note + "\n" + timeline);
            shown.putHTML("<div>" + note.replace("&", "&amp;").replace("<", "&lt;") + "</div>"
                    + shown.getData(MIMEType.TEXT_HTML));
        }
        return shown;
    }

    /**
     * {@code --hosts alpha:2,beta} (one per processor where no count is given), {@code --listen} and {@code
     * --java-home} (for the hosts and a Slurm job's nodes), {@code --ssh-opt}.
     */
    private static SshOptions hosts(MagicArgs args) {
        String hosts = args.value("--hosts");
        if (hosts == null) {
            if (!args.flag("--slurm")
                    && (args.value("--listen") != null || !args.all("--ssh-opt").isEmpty() || args.value("--java-home") != null)) {
                throw args.error("--listen, --ssh-opt and --java-home go with --hosts");
            }
            if (!args.all("--ssh-opt").isEmpty()) {
                throw args.error("--ssh-opt goes with --hosts");
            }
            // --listen and --java-home: for the Slurm job's nodes
            return new SshOptions(List.of(), List.of(), args.value("--listen"), args.value("--java-home"));
        }
        List<RemoteHost> list = new ArrayList<>();
        for (String host : hosts.split(",", -1)) {
            list.add(RemoteHost.parse(host)); // InvalidHostException names the entry and the forms that work
        }
        List<String> sshOptions = new ArrayList<>();
        for (String option : args.all("--ssh-opt")) {
            sshOptions.addAll(List.of(option.strip().split("\\s+")));
        }
        return new SshOptions(list, sshOptions, args.value("--listen"), args.value("--java-home"));
    }

    /**
     * {@code --slurm} with {@code workers} workers and {@code --partition}, {@code --time}, {@code --account},
     * {@code --slurm-opt} (split at spaces), {@code --pending-limit}; null without {@code --slurm}, which these need.
     */
    private static SlurmJob slurm(MagicArgs args, int workers) {
        List<String> given = List.of("--partition", "--time", "--account", "--pending-limit").stream()
                .filter(o -> args.value(o) != null).collect(Collectors.toList());
        if (!args.all("--slurm-opt").isEmpty()) {
            given.add("--slurm-opt");
        }
        if (!args.flag("--slurm")) {
            if (!given.isEmpty()) {
                throw args.error(String.join(", ", given) + " go" + (given.size() == 1 ? "es" : "") + " with --slurm");
            }
            return null;
        }
        if (workers < 1) {
            throw args.error("--slurm needs the number of workers: %pool start N --slurm");
        }
        long limit = args.seconds("--pending-limit");
        try {
            SlurmJob job = SlurmJob.of(workers).partition(args.value("--partition")).time(args.value("--time"))
                    .account(args.value("--account"));
            for (String option : args.all("--slurm-opt")) {
                job = job.option(option.strip().split("\\s+"));
            }
            return limit > 0 ? job.pendingLimit(Duration.ofMillis(limit)) : job;
        } catch (IllegalArgumentException e) {
            throw args.error(e.getMessage());
        }
    }

    private static int size(MagicArgs args, List<String> words, int fallback) {
        if (words.size() < 2) {
            return fallback;
        }
        if (words.size() > 2) {
            throw args.error("unexpected argument " + words.get(2));
        }
        try {
            int n = Integer.parseInt(words.get(1));
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw args.error("the number of workers must be a whole number of at least 1, not " + words.get(1));
    }

    private static DisplayData status(RealWorkerPool pool) {
        if (pool == null) {
            String none = "no pool: the first %%parallel cell starts one with "
                    + Runtime.getRuntime().availableProcessors() + " workers, or use %pool start N";
            return new DisplayData(none);
        }
        return table(pool.status());
    }

    /** The pool's rows as a table: worker, PID, host (if any is not this machine), state, tasks, CPU, RSS. */
    static DisplayData table(List<WorkerStatus> rows) {
        // a host column only for a pool with workers elsewhere: on one machine it would say localhost on every row
        boolean hosts = rows.stream().anyMatch(w -> !w.host().equals(WorkerStatus.LOCAL));
        List<String> text = new ArrayList<>();
        text.add(String.format(Locale.ROOT, "%-7s %-8s " + (hosts ? "%-12s " : "%s") + "%-9s %6s %10s %9s", "worker", "PID",
                hosts ? "host" : "", "state", "tasks", "CPU", "RSS"));
        StringBuilder html = new StringBuilder("<table><tr><th>worker</th><th>PID</th>" + (hosts ? "<th>host</th>" : "")
                + "<th>state</th><th>tasks</th><th>CPU</th><th>RSS</th></tr>");
        for (WorkerStatus w : rows) {
            String cpu = String.format(Locale.ROOT, "%.2f s", w.cpuTime().toMillis() / 1000.0);
            String rss = w.rssBytes() < 0 ? "?" : String.format(Locale.ROOT, "%.1f MiB", w.rssBytes() / 1048576.0);
            text.add(String.format(Locale.ROOT, "%-7d %-8d " + (hosts ? "%-12s " : "%s") + "%-9s %6d %10s %9s", w.index(),
                    w.pid(), hosts ? w.host() : "", w.state(), w.tasksDone(), cpu, rss));
            html.append("<tr><td>").append(w.index()).append("</td><td>").append(w.pid()).append("</td><td>");
            if (hosts) {
                html.append(w.host().replace("&", "&amp;").replace("<", "&lt;")).append("</td><td>");
            }
            html.append(w.state()).append("</td><td>").append(w.tasksDone()).append("</td><td>").append(cpu)
                    .append("</td><td>").append(rss).append("</td></tr>");
        }
        DisplayData data = new DisplayData(String.join("\n", text));
        data.putHTML(html.append("</table>").toString());
        return data;
    }
}
