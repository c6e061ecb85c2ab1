package org.jparallel.api;

import org.jparallel.internal.code.CodeSources;
import org.jparallel.internal.launch.LaunchCommand;
import org.jparallel.internal.launch.RemoteHost;
import org.jparallel.internal.launch.SshOptions;
import org.jparallel.internal.manager.RealManager;
import org.jparallel.internal.pool.RealWorkerPool;
import org.jparallel.internal.pool.RunHandle;
import org.jparallel.internal.pool.RunObserver;
import org.jparallel.internal.wire.ServiceThreads;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A pool of worker JVMs (Python's {@code multiprocessing.Pool}). Functions are serializable lambdas or
 * method references ({@link SerialFunction} …) that may call anything the notebook declared; the
 * notebook variables they read are sent along automatically.
 *
 * <pre>{@code
 * try (var pool = WorkerPool.start(2)) {
 *     List<Integer> squares = pool.map(x -> x * x, List.of(1, 2, 3));
 * }
 * }</pre>
 *
 * <p>Lifecycle: {@link #start} returns once the processes are launched; the first call waits for them.
 * {@link #close()} waits for running calls, then stops the workers; {@link #terminate()} stops them at
 * once. Either way every worker process is reaped. Thread-safe: calls from several threads share the
 * workers. A worker that dies is replaced and its task retried once elsewhere; failures are reported
 * as {@link WorkerException}.
 *
 * <p>A function, element or captured value that cannot be sent is reported as
 * {@link NotSendableException}, before anything of the call runs: {@code map}, {@code starmap},
 * {@code mapAsync} and {@code apply} encode every element of a {@code Collection} before sending any.
 * Any other {@code Iterable} (a {@code Stream}'s {@code ::iterator}, a generator) may be huge or endless,
 * so it is read as the workers take it, on a thread of the call's own, with a bounded number of elements
 * held: an element that cannot be sent, or an exception the input throws, then stops the call where it
 * is met (elements already sent are cancelled) and is what the call throws. The lazy {@link #imap} and
 * {@link #imapUnordered} read their input as their results are read (see there).
 *
 * <p>{@link #close()} waits for {@code map}, {@code mapAsync} and {@code apply} calls, but not for an
 * {@code imap} stream that is still open: its reader may never come back (a {@code findFirst()} leaves it
 * open). Such a stream is stopped — its running elements are cancelled, its input is read no further —
 * and a reader who comes back gets the results that had arrived, then {@link CancellationException}.
 * Read a stream to its end, or close it, before closing the pool to have every result.
 */
public final class WorkerPool implements AutoCloseable {

    private static final long START_TIMEOUT_S = 60;

    private final RealWorkerPool real;
    /** Shows the progress of this pool's calls (in a notebook); {@link RunObserver#NONE} elsewhere. */
    private final RunObserver observer;
    /** The public face of the pool's own manager, made on the first {@link #manager()}; guarded by this. */
    private Manager manager;
    private final ExecutorService callbacks;

    private WorkerPool(RealWorkerPool real, RunObserver observer) {
        this.real = real;
        this.observer = observer;
        // made by the first call that hands it a callback, often a cell's thread: out of that cell's group
        this.callbacks = Executors.newSingleThreadExecutor(body -> ServiceThreads.daemon(body, "jparallel-callbacks"));
    }

    /** A pool with one worker per available processor (Python's {@code Pool()} default). */
    public static WorkerPool start() {
        return builder().start();
    }

    /** A pool of {@code workers} worker JVMs. */
    public static WorkerPool start(int workers) {
        return builder().workers(workers).start();
    }

    /** Options beyond the size: JVM options, an initializer, a task limit per worker. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link WorkerPool}. */
    public static final class Builder {
        private int workers = Runtime.getRuntime().availableProcessors();
        /** Whether {@link #workers} was called: with hosts or Slurm and without it, no worker runs on this machine. */
        private boolean workersGiven;
        private final List<RemoteHost> hosts = new ArrayList<>();
        private final List<String> sshOptions = new ArrayList<>();
        private String listen;
        private String javaHome;
        private SlurmJob slurm;
        private final List<String> jvmOptions = new ArrayList<>();
        private SerialRunnable initializer;
        private int maxTasksPerWorker;
        private Duration livenessLimit;
        private boolean showProgress = true;
        private final List<Path> classpath = new ArrayList<>();

        private Builder() {
        }

        /** How many worker JVMs (default: available processors). */
        public Builder workers(int workers) {
            if (workers < 1) {
                throw new IllegalArgumentException("a pool needs at least one worker, not " + workers);
            }
            this.workers = workers;
            this.workersGiven = true;
            return this;
        }

        /**
         * Also {@code workers} worker JVMs on another host, started through {@code ssh destination} (a name
         * from the user's ssh config, a host name, an IPv4 or IPv6 address, the IPv6 one bare or in brackets,
         * each optionally after {@code user@}: ssh's config, keys and agent apply; no password prompt; anything
         * else is an {@link InvalidHostException}). {@link SharedObject}s cannot reach them
         * ({@link HostBoundException}); the pool's {@link WorkerPool#manager()} can. They dial back to this JVM
         * over TLS 1.3 with mutual authentication, with a
         * certificate authority made for this pool; the secret and their credentials go on ssh's standard
         * input, never on a command line. The host needs only a JDK ({@link #javaHome}; by default this JVM's
         * own where the host has it at the same path, else {@code java} on its {@code PATH}): this JVM's worker class path (jparallel-core, its libraries, the program's classes)
         * is copied by content into the user's jar cache there ({@code ~/.cache/jparallel/jars}), once per host
         * and content, before its first worker starts.
         * Workers on this machine: {@link #workers} if called, else none. A host that ssh cannot reach or that
         * cannot run {@code java} fails {@link #start} with {@link HostLaunchException} within seconds. The
         * certificates are issued with BouncyCastle, an optional dependency of jparallel-core: add
         * {@code org.bouncycastle:bcpkix-jdk18on} to a program that uses hosts or Slurm ({@link #start} names it
         * in a {@link HostLaunchException} otherwise, before reaching any host; the Jupyter kernel has it).
         */
        public Builder host(String destination, int workers) {
            if (workers < 1) {
                throw new InvalidHostException(destination, "a host needs at least one worker, not " + workers);
            }
            hosts.add(new RemoteHost(destination, workers));
            return this;
        }

        /** {@link #host(String, int)} with one worker per processor that host has (asked through ssh at the start). */
        public Builder host(String destination) {
            hosts.add(new RemoteHost(destination, RemoteHost.PROCESSORS));
            return this;
        }

        /**
         * Also {@code workers} worker JVMs in a Slurm job of this pool's own (see {@link #slurm(SlurmJob)}), in the
         * cluster's default partition.
         */
        public Builder slurm(int workers) {
            return slurm(SlurmJob.of(workers));
        }

        /**
         * Also the workers of a Slurm job: {@link #start} asks Slurm for it ({@code salloc}) and waits until it is
         * granted, then starts one worker per task, each an {@code srun} step on its node; {@link #close} cancels
         * the job, and so does this JVM's end, however it ends. The workers dial back to this JVM over TLS 1.3
         * with mutual authentication, as workers through ssh do ({@link #listen}: by default the address this
         * machine's routing uses towards each node). Their secret and credentials are handed in a file only
         * the user can read, under {@code ~/.jparallel/credentials}, which the nodes must share (as Slurm clusters'
         * home directories are); each worker deletes its file once read. A node needs only a JDK, chosen as for
         * {@link #host} ({@link #javaHome}); the class path travels by content as for {@link #host}.
         * Workers on this machine: {@link #workers} if called, else none. Slurm refusing the job (a partition or
         * account that does not exist), or the job pending longer than {@link SlurmJob#pendingLimit}, fails
         * {@link #start} with {@link SlurmLaunchException}, quoting Slurm.
         */
        public Builder slurm(SlurmJob job) {
            if (slurm != null) {
                throw new IllegalArgumentException("a pool has one Slurm job: ask it for " + (slurm.workers()
                        + job.workers()) + " workers");
            }
            this.slurm = job;
            return this;
        }

        /** Words for ssh before the destination, for every host: {@code sshOption("-F", "path/ssh_config")}. */
        public Builder sshOption(String... words) {
            sshOptions.addAll(List.of(words));
            return this;
        }

        /**
         * The address of this machine where workers on other hosts dial in (TLS only). Default: for each host,
         * the address this machine's routing uses towards it; never all interfaces unless given here.
         */
        public Builder listen(String address) {
            this.listen = address;
            return this;
        }

        /**
         * The JDK's directory on the other hosts. Default: this JVM's own JDK where a host has it at the same
         * path (a shared file system), else {@code java} from the remote shell's {@code PATH}. Code compiled
         * here (a notebook's cells) needs a JDK there at least as new as this one.
         */
        public Builder javaHome(String directory) {
            this.javaHome = directory;
            return this;
        }

        /** An extra option for every worker JVM, such as {@code -Xmx2g}. */
        public Builder jvmOption(String option) {
            jvmOptions.add(option);
            return this;
        }

        /**
         * Jars, or directories of classes, that every worker has on its class path, after this program's (in a
         * notebook, after jparallel's and before the notebook's own {@code %jars}). Each travels by content: it
         * is identified by its SHA-256, copied into this user's jar cache on this host ({@code
         * $XDG_CACHE_HOME/jparallel/jars}, or {@code ~/.cache/jparallel/jars}; a directory packed into a jar),
         * and sent to a worker's host only when that host's cache lacks it, once per host however many workers
         * it runs ({@link WorkerStatus#jarsFetched}). So workers need no access to these files, nor to this
         * JVM's working directory. A class these jars alone hold can be used on the workers; a result of such a
         * class can be read here only if this JVM has the class too.
         *
         * <p>Python's {@code multiprocessing} needs no such call (its workers import from the parent's own
         * {@code sys.path}, on the same disk), nor does {@code ipyparallel} have one (packages are installed on
         * every engine's host); Dask's {@code Client.upload_file} is the equivalent.
         *
         * @throws IllegalArgumentException if an entry does not exist
         */
        public Builder classpath(Path... entries) {
            for (Path entry : entries) {
                if (!Files.exists(entry)) {
                    throw new IllegalArgumentException("no such jar or directory: " + entry.toAbsolutePath());
                }
                classpath.add(entry);
            }
            return this;
        }

        /** Code each worker runs once when it starts, before any task. */
        public Builder initializer(SerialRunnable initializer) {
            this.initializer = initializer;
            return this;
        }

        /**
         * Replace a worker with a fresh JVM after this many tasks (Python's {@code maxtasksperchild}); 0, the
         * default, for no limit.
         *
         * @throws IllegalArgumentException if {@code tasks} is negative
         */
        public Builder maxTasksPerWorker(int tasks) {
            if (tasks < 0) {
                throw new IllegalArgumentException("a worker's task limit is a positive number, or 0 for none, not " + tasks);
            }
            this.maxTasksPerWorker = tasks;
            return this;
        }

        /**
         * How long a worker may send nothing before it is declared unresponsive: killed (SIGKILL) and replaced,
         * the task it was running failed as {@link TaskFailure.Kind#WORKER_UNRESPONSIVE}, the tasks queued on
         * it given to other workers. Every worker says it is alive twice a second from a thread of its own, so
         * a long task does not count as silence; a stopped or frozen JVM does. Default: 60 s, or the system
         * property {@code jparallel.pool.livenessLimit} (seconds). At least 2 s; {@link Duration#ZERO} for no
         * limit.
         */
        public Builder livenessLimit(Duration limit) {
            this.livenessLimit = limit;
            return this;
        }

        /**
         * Whether, in a notebook, a call that takes more than a moment shows a live progress display (the one
         * {@code %%parallel} shows) in the cell that made it; default true. Outside a notebook nothing is shown
         * either way: use {@link PoolRun#onProgress} to follow a run.
         */
        public Builder showProgress(boolean show) {
            this.showProgress = show;
            return this;
        }

        /** Launches the workers. */
        public WorkerPool start() {
            SshOptions ssh = new SshOptions(hosts, sshOptions, listen, javaHome, slurm).withProcessorCounts();
            int local = !ssh.remote() || workersGiven ? workers : 0;
            return new WorkerPool(RealWorkerPool.start(
                    new RealWorkerPool.Options(local + ssh.workers(), jvmOptions, initializer, maxTasksPerWorker,
                            livenessLimit, classpath, LaunchCommand.LOCAL, ssh),
                    CodeSources.current()), showProgress ? RunObserver.installed() : RunObserver.NONE);
        }
    }

    /** How many workers the pool has. */
    public int size() {
        return real.size();
    }

    /** Such as {@code WorkerPool[2 workers]}: what {@code jshell} and a notebook show for a pool. */
    @Override
    public String toString() {
        int workers = size();
        return "WorkerPool[" + workers + (workers == 1 ? " worker]" : " workers]");
    }

    /** One row per worker: PID, state, tasks done, CPU time, memory. */
    public List<WorkerStatus> status() {
        return real.status();
    }

    /** Waits until every worker is up; returns this pool. */
    public WorkerPool awaitReady() throws InterruptedException {
        real.awaitReady(START_TIMEOUT_S, TimeUnit.SECONDS);
        return this;
    }

    // ---- map family ----

    /** Applies {@code fn} to every element, in parallel; results in input order. */
    public <T, R> List<R> map(SerialFunction<? super T, ? extends R> fn, Iterable<? extends T> xs) {
        return map(fn, xs, 0);
    }

    /** {@link #map(SerialFunction, Iterable)} with {@code chunkSize} elements per task. */
    public <T, R> List<R> map(SerialFunction<? super T, ? extends R> fn, Iterable<? extends T> xs, int chunkSize) {
        return observed(real.<T, R>map(fn, xs, chunkSize), "map").await();
    }

    /** Applies a two-argument function to each pair (Python's {@code starmap}). */
    public <A, B, R> List<R> starmap(SerialBiFunction<? super A, ? super B, ? extends R> fn,
                                     Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs) {
        return observed(real.<A, B, R>starmap(fn, pairs), "starmap").await();
    }

    /** Like {@link #map} but returns at once. */
    public <T, R> AsyncResult<List<R>> mapAsync(SerialFunction<? super T, ? extends R> fn, Iterable<? extends T> xs) {
        RunHandle<R> run = observed(real.<T, R>map(fn, xs, 0), "mapAsync");
        return new AsyncResult<>(run.toCompletableFuture(), callbacks, run::failures);
    }

    /**
     * Starts {@code fn} over every element and returns the run at once: its progress, its results (in input
     * order or as they come), its failures, {@link PoolRun#cancel cancel}; with a chunk size, fail-fast or a
     * timeout from {@code options}. The function and what it captures are checked now
     * ({@link NotSendableException}); the input is read on a thread of the run's own, so an element that
     * cannot be sent, or an exception of the input, stops the run and is what {@link PoolRun#get()} throws.
     */
    public <T, R> PoolRun<R> submit(SerialFunction<? super T, ? extends R> fn, Iterable<? extends T> xs,
                                    RunOptions options) {
        long length = xs instanceof Collection<?> collection ? collection.size() : -1;
        return observed(real.<R>submit(fn, xs.iterator(), length, options), "submit");
    }

    /**
     * Starts {@code task} once on each of the given workers (by index, from 0; every worker when
     * {@code workers} is empty) and returns the run at once: one result per worker, in worker index order
     * (ipyparallel's {@code view.apply} on a set of engines; what {@code %%parallel} does with a cell). Each
     * worker keeps what the task leaves in its JVM (a static field, a loaded library) for later tasks.
     * {@code options} may set a timeout; the chunk size and fail-fast do not apply.
     *
     * @throws IllegalArgumentException if the pool has no worker of one of those indexes
     */
    public <R> PoolRun<R> submitOnWorkers(SerialCallable<? extends R> task, List<Integer> workers, RunOptions options) {
        return observed(real.<R>submitOnWorkers(task, workers, options), "submitOnWorkers");
    }

    /**
     * Applies {@code fn} lazily: elements are read from {@code xs} only as results are consumed, with a
     * bounded number in flight, so a huge or endless input is fine. Results in input order; closing the
     * stream early stops the remaining work.
     *
     * <p>The function is checked when the stream is made, an element only when it is read: a function or
     * captured value that cannot be sent throws {@link NotSendableException} here, an element that cannot
     * be sent throws it from the stream, at the read that met it. The call is then stopped: elements
     * already sent are cancelled, results not yet taken are dropped, and nothing more is read.
     *
     * <p>Closing the pool while the stream is open stops it (see {@link #close()}).
     */
    public <T, R> Stream<R> imap(SerialFunction<? super T, ? extends R> fn, Iterable<? extends T> xs) {
        return real.imap(fn, xs, 0, true);
    }

    /** {@link #imap(SerialFunction, Iterable)} with {@code chunkSize} elements per task. */
    public <T, R> Stream<R> imap(SerialFunction<? super T, ? extends R> fn, Iterable<? extends T> xs, int chunkSize) {
        return real.imap(fn, xs, chunkSize, true);
    }

    /** Like {@link #imap} but results come as soon as they are ready, in any order. */
    public <T, R> Stream<R> imapUnordered(SerialFunction<? super T, ? extends R> fn, Iterable<? extends T> xs) {
        return real.imap(fn, xs, 0, false);
    }

    // ---- apply ----

    /** Runs {@code task} on a worker and returns its result. */
    public <R> R apply(SerialCallable<? extends R> task) {
        return observed(real.<R>apply(task), "apply").await().get(0);
    }

    /** Runs {@code fn(arg)} on a worker and returns its result. */
    public <T, R> R apply(SerialFunction<? super T, ? extends R> fn, T arg) {
        return observed(real.<T, R>apply(fn, arg), "apply").await().get(0);
    }

    /** Like {@link #apply(SerialCallable)} but returns at once. */
    public <R> AsyncResult<R> applyAsync(SerialCallable<? extends R> task) {
        return async(real.<R>apply(task));
    }

    /** Like {@link #apply(SerialFunction, Object)} but returns at once. */
    public <T, R> AsyncResult<R> applyAsync(SerialFunction<? super T, ? extends R> fn, T arg) {
        return async(real.<T, R>apply(fn, arg));
    }

    /** An {@code applyAsync} call: not shown, as a program may make thousands of them. */
    private <R> AsyncResult<R> async(RunHandle<R> call) {
        return new AsyncResult<>(call.toCompletableFuture().thenApply(results -> results.get(0)), callbacks,
                call::failures);
    }

    /** Hands a run to the observer that shows its progress in a notebook, and returns it. */
    private <R> RunHandle<R> observed(RunHandle<R> run, String call) {
        observer.started(run, "WorkerPool." + call);
        return run;
    }

    // ---- lifecycle ----

    /**
     * The pool's own {@link Manager}, started by the first call and closed with the pool, after its workers
     * (Python's {@code Manager()} used beside a {@code Pool}).
     *
     * @throws IllegalStateException if the pool is closed
     */
    public Manager manager() {
        RealManager started = real.manager();
        synchronized (this) {
            if (manager == null) {
                manager = new Manager(started);
            }
            return manager;
        }
    }

    /** Grows or shrinks the pool. */
    public void resize(int workers) {
        real.resize(workers);
    }

    /**
     * Waits for running calls, then stops every worker and releases the pool's sockets. An {@code imap}
     * stream still open is not waited for but stopped: a reader who comes back to it gets the results
     * that had arrived, then {@link CancellationException} ("the pool was closed …").
     */
    @Override
    public void close() {
        real.close();
        callbacks.shutdown();
    }

    /**
     * Stops every worker now. Calls not finished fail at once, whoever waits for them: with a
     * {@link WorkerException} whose failures ({@link TaskFailure.Kind#CANCELLED}) say the pool was terminated.
     */
    public void terminate() {
        real.terminate();
        callbacks.shutdown();
    }

    /** Waits until every worker process has exited (after {@link #close} or {@link #terminate}). */
    public void join() {
        real.join();
    }
}
