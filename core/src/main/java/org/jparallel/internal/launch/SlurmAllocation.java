package org.jparallel.internal.launch;

import org.jparallel.api.SlurmJob;
import org.jparallel.api.SlurmLaunchException;
import org.jparallel.internal.wire.ServiceThreads;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A pool's Slurm job: an allocation made by {@code salloc}, held by a child of this JVM, into which workers are
 * started one {@code srun} step each ({@link SlurmLauncher}).
 *
 * <p>{@code salloc} rather than {@code sbatch}: salloc's command runs here, as a child of this JVM, and lives as
 * long as its standard input — a pipe this JVM holds — stays open. So the job ends with the pool, and also when
 * this JVM dies however it dies (its pipe closes, salloc relinquishes the job and Slurm ends its steps): a batch
 * job would need a script on the node that finds out by itself that the kernel is gone. salloc also says the
 * job's id at once, pending or not, and a refusal on its standard error before exiting.
 *
 * <p>Its command prints the job's nodes and their task counts, then waits on its standard input; the pool's start
 * waits for that line up to the job's pending limit, then asks {@code squeue} why it pends and cancels it.
 */
public final class SlurmAllocation implements AutoCloseable {

    /** The name the pools' jobs have in {@code squeue}. */
    private static final String JOB_NAME = "jparallel";
    /** How long salloc may take to go once its job is cancelled and its command's input closed. */
    private static final long RELEASE_SECONDS = 10;
    /** What salloc's command prints after the node names, before the job's id and its tasks per node. */
    private static final String TASKS = "jparallel-job ";
    /** salloc's words for a job it made, pending or granted. */
    private static final Pattern JOB_ID = Pattern.compile("(?:Pending|Granted) job allocation (\\d+)");
    private static final Pattern TASK_COUNT = Pattern.compile("(\\d+)(?:\\(x(\\d+)\\))?");
    /** Slurm's commands' own short time limit (they talk to the controller only). */
    private static final long QUERY_SECONDS = 20;

    private final Process salloc;
    private final long jobId;
    private final List<RemoteHost> nodes;
    private boolean released;

    private SlurmAllocation(Process salloc, long jobId, List<RemoteHost> nodes) {
        this.salloc = salloc;
        this.jobId = jobId;
        this.nodes = nodes;
    }

    /**
     * Asks Slurm for {@code job} and waits until it is granted.
     *
     * @throws SlurmLaunchException if Slurm refuses it, quoting salloc; if it pends past its limit, with
     *                              {@code squeue}'s reason (the job is then cancelled)
     */
    public static SlurmAllocation request(SlurmJob job) {
        List<String> command = sallocCommand(job);
        ProcessBuilder builder = new ProcessBuilder(outsideAnyJob(command, System.getenv()));
        builder.environment().remove("JPY_PARENT_PID");
        Process salloc;
        try {
            salloc = builder.start();
        } catch (IOException e) {
            throw new SlurmLaunchException(-1, "slurm", "cannot run salloc (is Slurm installed here?): "
                    + e.getMessage());
        }
        SallocOutput said = new SallocOutput(salloc.getErrorStream());
        BlockingQueue<String> printed = new LinkedBlockingQueue<>();
        ServiceThreads.daemon(() -> readLines(salloc.getInputStream(), printed), "jparallel-salloc-stdout").start();
        long deadline = System.nanoTime() + job.pendingLimit().toNanos();
        List<String> names = new ArrayList<>();
        try {
            while (true) {
                String line = printed.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw pending(job, salloc, said);
                }
                if (line == END) { // the marker itself, not a line that reads the same
                    throw refused(command, salloc, said);
                }
                if (line.startsWith(TASKS)) {
                    String[] granted = line.substring(TASKS.length()).strip().split(" ");
                    return new SlurmAllocation(salloc, Long.parseLong(granted[0]), nodes(names, granted[1]));
                }
                names.add(line.strip());
            }
        } catch (InterruptedException e) {
            cancel(said.jobId(), salloc);
            Thread.currentThread().interrupt();
            throw new SlurmLaunchException(said.jobId(), "slurm", "interrupted while waiting for Slurm job "
                    + said.jobId() + "; it was cancelled");
        } catch (RuntimeException e) {
            cancel(said.jobId(), salloc);
            throw e;
        }
    }

    /** The job's id. */
    public long jobId() {
        return jobId;
    }

    /** The job's nodes, each with how many of its tasks (workers) it runs. */
    public List<RemoteHost> nodes() {
        return nodes;
    }

    /** Cancels the job ({@code scancel}) and lets salloc go; idempotent. */
    @Override
    public synchronized void close() {
        if (!released) {
            released = true;
            cancel(jobId, salloc);
        }
    }

    /** {@code salloc} for {@code job}, its command printing the nodes, then waiting for its standard input to end. */
    static List<String> sallocCommand(SlurmJob job) {
        List<String> command = new ArrayList<>(List.of("salloc", "--job-name=" + JOB_NAME, "--ntasks=" + job.workers()));
        if (job.partition() != null) {
            command.add("--partition=" + job.partition());
        }
        if (job.time() != null) {
            command.add("--time=" + job.time());
        }
        if (job.account() != null) {
            command.add("--account=" + job.account());
        }
        command.addAll(job.options());
        command.addAll(List.of("/bin/sh", "-c", "scontrol show hostnames \"$SLURM_JOB_NODELIST\" && echo '" + TASKS
                + "'\"$SLURM_JOB_ID $SLURM_TASKS_PER_NODE\" && exec cat >/dev/null"));
        return command;
    }

    /**
     * {@code command} run without the {@code SLURM_*} variables of this environment (but {@code SLURM_CONF}): a
     * kernel that runs inside a Slurm job (a notebook server started by sbatch) has that job's, and salloc and srun
     * read them as options: with {@code SLURM_CPUS_PER_TASK=64} salloc asks for 64 CPUs a task (it pended for
     * ever on the 2-CPU test node), with {@code SLURM_DISTRIBUTION} of another kind srun refuses to start.
     */
    static List<String> outsideAnyJob(List<String> command, Map<String, String> environment) {
        List<String> unset = environment.keySet().stream()
                .filter(name -> name.startsWith("SLURM_") && !name.equals("SLURM_CONF")).sorted().toList();
        if (unset.isEmpty()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("env"));
        for (String name : unset) {
            wrapped.addAll(List.of("-u", name));
        }
        wrapped.addAll(command);
        return wrapped;
    }

    /**
     * The nodes and their task counts, from the node names (in {@code SLURM_JOB_NODELIST}'s order) and
     * {@code SLURM_TASKS_PER_NODE} ({@code 2(x3),1}: two tasks on each of the first three nodes, one on the next).
     */
    static List<RemoteHost> nodes(List<String> names, String tasksPerNode) {
        List<Integer> counts = new ArrayList<>();
        for (String part : tasksPerNode.split(",")) {
            Matcher m = TASK_COUNT.matcher(part.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException("not a task count: '" + part + "' in '" + tasksPerNode + "'");
            }
            int repeat = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
            for (int i = 0; i < repeat; i++) {
                counts.add(Integer.parseInt(m.group(1)));
            }
        }
        if (counts.size() != names.size()) {
            throw new IllegalArgumentException(names.size() + " nodes " + names + " but " + counts.size()
                    + " task counts (" + tasksPerNode + ")");
        }
        List<RemoteHost> nodes = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            nodes.add(new RemoteHost(names.get(i), counts.get(i)));
        }
        return nodes;
    }

    /** The job's id in a line salloc printed, or -1. */
    static long jobIdIn(String line) {
        Matcher m = JOB_ID.matcher(line);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** What salloc said before it exited without a job: its errors, or all it said. */
    static String refusal(String said) {
        List<String> errors = said.lines().filter(l -> l.startsWith("salloc: error: "))
                .map(l -> l.substring("salloc: error: ".length()).strip()).toList();
        return errors.isEmpty() ? said.strip() : String.join("; ", errors);
    }

    private static SlurmLaunchException refused(List<String> command, Process salloc, SallocOutput said)
            throws InterruptedException {
        salloc.waitFor(RELEASE_SECONDS, TimeUnit.SECONDS);
        said.awaitEnd();
        return new SlurmLaunchException(said.jobId(), "slurm", "Slurm refused the pool's job: " + refusal(said.text())
                + " (" + String.join(" ", command.subList(0, command.size() - 3)) + ")");
    }

    private static SlurmLaunchException pending(SlurmJob job, Process salloc, SallocOutput said) {
        long id = said.jobId();
        String reason = id < 0 ? "salloc has not said its job's id"
                : "squeue's reason: " + HostCommands.run(List.of("squeue", "-h", "-j", Long.toString(id), "-o", "%r"),
                null, QUERY_SECONDS).said();
        cancel(id, salloc);
        return new SlurmLaunchException(id, "slurm", "Slurm job " + id + " was still pending after "
                + job.pendingLimit().toSeconds() + " s (" + reason + "); it was cancelled. Ask for fewer workers, "
                + "another partition, or allow it longer (pending limit)");
    }

    /** Cancels the job if it has an id, closes salloc's command's input, waits for salloc (kills it past a limit). */
    private static void cancel(long jobId, Process salloc) {
        if (jobId >= 0) {
            HostCommands.run(List.of("scancel", Long.toString(jobId)), null, QUERY_SECONDS);
        }
        try {
            salloc.getOutputStream().close();
            if (!salloc.waitFor(RELEASE_SECONDS, TimeUnit.SECONDS)) {
                salloc.destroyForcibly().waitFor(RELEASE_SECONDS, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            // salloc is gone already
        } catch (InterruptedException e) {
            salloc.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Marks the end of salloc's standard output in the queue of its lines. */
    private static final String END = new String("end of salloc's output");

    private static void readLines(InputStream in, BlockingQueue<String> lines) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            // salloc is gone: the end below says so
        }
        lines.add(END);
    }

    /** What salloc says on its standard error, read for its whole life; the job's id once it has said it. */
    private static final class SallocOutput {
        private final StringBuilder text = new StringBuilder();
        private long jobId = -1;
        private boolean ended;

        SallocOutput(InputStream stderr) {
            ServiceThreads.daemon(() -> read(stderr), "jparallel-salloc-stderr").start();
        }

        private void read(InputStream stderr) {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stderr, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    long id = jobIdIn(line);
                    synchronized (this) {
                        text.append(line).append('\n');
                        if (id >= 0) {
                            jobId = id;
                        }
                        notifyAll();
                    }
                }
            } catch (IOException e) {
                // salloc is gone
            }
            synchronized (this) {
                ended = true;
                notifyAll();
            }
        }

        synchronized long jobId() {
            return jobId;
        }

        synchronized String text() {
            return text.toString();
        }

        /** Waits (a little) until salloc's standard error ends: everything it said before exiting is read. */
        synchronized void awaitEnd() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(RELEASE_SECONDS);
            while (!ended && System.nanoTime() < deadline) {
                TimeUnit.NANOSECONDS.timedWait(this, deadline - System.nanoTime());
            }
        }
    }
}
