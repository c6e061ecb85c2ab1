package org.jparallel.internal.pool;

import org.jparallel.api.NotSendableException;
import org.jparallel.api.RunOptions;
import org.jparallel.api.RunTimeline;
import org.jparallel.api.SerialBiFunction;
import org.jparallel.api.SerialCallable;
import org.jparallel.api.SerialFunction;
import org.jparallel.api.SerialRunnable;
import org.jparallel.api.WorkerStatus;
import org.jparallel.internal.code.CodeSource;
import org.jparallel.internal.code.PoolClasspath;
import org.jparallel.internal.codec.ValueCodec;
import org.jparallel.internal.launch.LaunchCommand;
import org.jparallel.internal.launch.RemoteHost;
import org.jparallel.internal.launch.SshOptions;
import org.jparallel.internal.launch.WorkerLauncher;
import org.jparallel.internal.launch.WorkerOutputPrinter;
import org.jparallel.internal.manager.RealManager;
import org.jparallel.internal.worker.ProcessStats;
import org.jparallel.internal.wire.Message;
import org.jparallel.internal.wire.MessageCodec;
import org.jparallel.internal.wire.PeerAuthentication;
import org.jparallel.internal.wire.ServiceThreads;
import org.jparallel.internal.wire.WireServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A pool of worker JVMs: the machinery behind {@code WorkerPool} and the {@code %%parallel} magics, and the
 * one place its parts are put together. It owns its wire (the server every worker connects to), every
 * worker process, the threads that decode results, and its manager.
 *
 * <p>The parts, each in its own file: the {@link Supervisor} starts, watches and replaces the workers
 * ({@link WorkerRoster}, {@link WorkerJvm}); the {@link Dispatcher} hands tasks out through an {@link Outbox}
 * (here the wire) and takes their results back; the {@link MessageRouter} routes what workers send and their
 * exits; the {@link InputFeeder} starts runs and feeds them their input; the {@link RunWaiter} waits for runs
 * and stops them; {@link PoolShutdown} closes it all; {@link OwnedManager} keeps its manager.
 *
 * <p>Threads: the wire's selector thread reads workers' messages, the JDK's reaper thread reports their exits,
 * the shared liveness thread watches them (all through the router); decoder threads decode results; callers'
 * threads submit, feed and wait; each run over an input of unknown length has an {@link InputReader}. They
 * share one lock, the {@link PoolState}, and wait on it; the state of runs, tasks and workers is changed only
 * by their own methods, under it. Thread-safe.
 */
public final class RealWorkerPool implements AutoCloseable {

    /** How often the workers' liveness is checked. */
    private static final long WATCH_MS = 250;
    private static final ScheduledExecutorService WATCHER = Executors.newSingleThreadScheduledExecutor(
            body -> ServiceThreads.daemon(body, "jparallel-liveness"));
    /** How long an idle decoder thread stays for the next result. */
    private static final long DECODER_IDLE_S = 30;

    /**
     * How to start a pool.
     *
     * @param livenessLimit how long a worker may send nothing before it is killed and replaced (see
     *                      {@link Liveness}); null for the system property or the default, zero for no limit
     * @param classpath     jars and directories every worker gets before the code source's own, by content
     *                      ({@link PoolClasspath})
     * @param launch        how the workers' commands are run
     */
    public record Options(int size, List<String> jvmOptions, SerialRunnable initializer, int maxTasksPerWorker,
                          Duration livenessLimit, List<Path> classpath, LaunchCommand launch, SshOptions ssh) {
        public Options {
            if (size < 1) {
                throw new IllegalArgumentException("a pool needs at least one worker, not " + size);
            }
            if (ssh.hosts().stream().anyMatch(h -> h.workers() == RemoteHost.PROCESSORS)) {
                throw new IllegalArgumentException("count the hosts' processors first (SshOptions.withProcessorCounts)");
            }
            if (ssh.workers() > size) {
                throw new IllegalArgumentException("a pool of " + size + " workers cannot have " + ssh.workers()
                        + " on other hosts");
            }
            jvmOptions = List.copyOf(jvmOptions);
            classpath = List.copyOf(classpath);
        }

        /** Options whose workers all run on this host, through {@code launch}. */
        public Options(int size, List<String> jvmOptions, SerialRunnable initializer, int maxTasksPerWorker,
                       Duration livenessLimit, List<Path> classpath, LaunchCommand launch) {
            this(size, jvmOptions, initializer, maxTasksPerWorker, livenessLimit, classpath, launch, SshOptions.NONE);
        }

        /** Options whose workers run on this host as they are. */
        public Options(int size, List<String> jvmOptions, SerialRunnable initializer, int maxTasksPerWorker,
                       Duration livenessLimit, List<Path> classpath) {
            this(size, jvmOptions, initializer, maxTasksPerWorker, livenessLimit, classpath, LaunchCommand.LOCAL);
        }

        /** Options with no class path of the pool's own, its workers run on this host as they are. */
        public Options(int size, List<String> jvmOptions, SerialRunnable initializer, int maxTasksPerWorker,
                       Duration livenessLimit) {
            this(size, jvmOptions, initializer, maxTasksPerWorker, livenessLimit, List.of(), LaunchCommand.LOCAL);
        }

        /** Options with the default liveness limit. */
        public Options(int size, List<String> jvmOptions, SerialRunnable initializer, int maxTasksPerWorker) {
            this(size, jvmOptions, initializer, maxTasksPerWorker, null);
        }
    }

    private final PoolState state = new PoolState();
    private final Options options;
    private final Supervisor supervisor;
    private final Dispatcher dispatcher;
    private final InputFeeder feeder;
    private final RunWaiter waiter;
    private final PoolShutdown shutdown;
    private final OwnedManager manager;
    /**
     * The spans of the run started last, for {@code %pool timeline}; null before the first. Not the run itself,
     * which holds its results: they are the caller's to drop.
     */
    private SpanLog lastRun;

    private RealWorkerPool(Options options, CodeSource notebookCode) throws NotSendableException {
        this.options = options;
        CodeSource code;
        try {
            code = PoolClasspath.of(notebookCode, options.classpath());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot give the pool's workers its class path: " + e.getMessage(), e);
        }
        ValueCodec values = new ValueCodec(code.classLoader());
        // every worker runs the initializer, those on other hosts too
        WorkerInitializer initializer = WorkerInitializer.of(options.initializer(),
                values.reaching(RemoteWorkers.firstReceiver(options.ssh(), options.size())));
        Liveness liveness = Liveness.of(options.livenessLimit());
        byte[] secret = PeerAuthentication.newSecret();
        MessageRouter[] router = new MessageRouter[1]; // the wire hears workers only once they are started, below
        // the last workers' hosts are checked through ssh before anything is opened: an unreachable one fails here
        RemoteWorkers remote = RemoteWorkers.of(options.ssh(), options.size(), code.workerClasspath(),
                options.jvmOptions());
        WireServer wire;
        try {
            wire = new WireServer(secret, new MessageCodec(), new WireServer.Listener() {
                @Override
                public void onMessage(int peer, Message message) {
                    router[0].onMessage(peer, message);
                }

                @Override
                public void onClosed(int peer) {
                    router[0].onClosed(peer);
                }
            }, "jparallel-pool-wire", remote.listeners());
        } catch (IOException e) {
            remote.close();
            throw new UncheckedIOException("cannot open the pool's wire on 127.0.0.1"
                    + remote.listeners().stream().map(l -> " and " + l.address().getAddress().getHostAddress())
                    .reduce("", String::concat) + ": " + e.getMessage(), e);
        }
        remote.bind(wire);
        this.manager = new OwnedManager(state, code.classLoader(), remote.managerListeners());
        // a thread per result being decoded: a slow one (a huge value, a slow readObject) holds up no other
        ExecutorService decoder = new ThreadPoolExecutor(0, Integer.MAX_VALUE, DECODER_IDLE_S, TimeUnit.SECONDS,
                new SynchronousQueue<>(), body -> ServiceThreads.daemon(body, "jparallel-result-decoder"));
        this.supervisor = new Supervisor(new WorkerLauncher(code.workerClasspath(), options.jvmOptions(),
                options.launch()), remote, secret,
                wire, liveness, worker -> router[0].exited(worker));
        this.dispatcher = new Dispatcher(supervisor.roster(), wire::send, code, values, options.maxTasksPerWorker(),
                state::nextId, state, decoder);
        this.waiter = new RunWaiter(state, dispatcher, supervisor);
        this.feeder = new InputFeeder(state, dispatcher, supervisor.roster(), code, values, waiter);
        router[0] = new MessageRouter(state, supervisor, dispatcher, initializer, options.jvmOptions());
        this.shutdown = new PoolShutdown(state, supervisor, dispatcher, waiter, wire, decoder, manager,
                WATCHER.scheduleWithFixedDelay(() -> router[0].watch(WATCH_MS), WATCH_MS, WATCH_MS,
                        TimeUnit.MILLISECONDS));
    }

    /** Starts the worker processes; returns at once (see {@link #awaitReady}). */
    public static RealWorkerPool start(Options options, CodeSource code) throws NotSendableException {
        RealWorkerPool pool = new RealWorkerPool(options, code);
        synchronized (pool.state) {
            for (int i = 0; i < options.size(); i++) {
                pool.supervisor.spawn(i);
            }
        }
        return pool;
    }

    public Options options() {
        return options;
    }

    public int size() {
        synchronized (state) {
            return supervisor.roster().size();
        }
    }

    /** Waits until every worker has said hello. */
    public void awaitReady(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (state) {
            while (!supervisor.roster().allReady() && state.startFailure() == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("the workers did not start within " + unit.toSeconds(timeout) + " s");
                }
                TimeUnit.NANOSECONDS.timedWait(state, left);
            }
            if (state.startFailure() != null) {
                throw new IllegalStateException(state.startFailure());
            }
        }
    }

    // ---- the public API's calls ----

    /** {@code map}: {@code fn} over every element, results in input order (see {@code WorkerPool#map}). */
    public <T, R> RunHandle<R> map(SerialFunction<? super T, ? extends R> fn, Iterable<? extends T> xs, int chunkSize) {
        return mapOf(fn, Message.CallShape.ONE_ARGUMENT, xs, chunkSize);
    }

    /** {@code starmap}: a two-argument function over pairs. */
    public <A, B, R> RunHandle<R> starmap(SerialBiFunction<? super A, ? super B, ? extends R> fn, Iterable<?> pairs) {
        return mapOf(fn, Message.CallShape.TWO_ARGUMENTS, pairs, 0);
    }

    /** {@code apply}: one call of {@code task} on a worker; its one result is the run's only one. */
    public <R> RunHandle<R> apply(SerialCallable<? extends R> task) {
        return applyOf(task, Message.CallShape.NO_ARGUMENT, null);
    }

    /** {@code apply}: one call of {@code fn(arg)} on a worker. */
    public <T, R> RunHandle<R> apply(SerialFunction<? super T, ? extends R> fn, T arg) {
        return applyOf(fn, Message.CallShape.ONE_ARGUMENT, arg);
    }

    /**
     * {@code imap}: {@code fn} over a lazy input, read as the results are consumed; closing the stream stops
     * what remains.
     */
    public <T, R> Stream<R> imap(SerialFunction<? super T, ? extends R> fn, Iterable<? extends T> xs, int chunkSize,
                                 boolean ordered) {
        Gatherer gatherer = new Gatherer(new WorkerOutputPrinter());
        Run run = submitFunction(fn, Message.CallShape.ONE_ARGUMENT, gatherer, false);
        LazyResults<R> results = feeder.lazyResults(run, gatherer, xs.iterator(), chunkSize, ordered);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(results, Spliterator.ORDERED), false)
                .onClose(results::close);
    }

    /**
     * A run of {@code fn} over an input read on a thread of the run's own (see {@link #feedInBackground}):
     * returns at once. The function and the variables it reads are encoded now, so an unsendable one throws
     * here; an element that cannot be sent, or an input that throws, stops the run and is what its
     * {@link RunHandle#get()} throws.
     *
     * @param length the input's length, or -1 if unknown (a stream)
     */
    public <R> RunHandle<R> submit(SerialFunction<?, ? extends R> fn, Iterator<?> input, long length,
                                   RunOptions options) {
        return submit(fn, input, length, options, new WorkerOutputPrinter());
    }

    /** {@link #submit(SerialFunction, Iterator, long, RunOptions)}, its workers' output printed by {@code printer}. */
    public <R> RunHandle<R> submit(SerialFunction<?, ? extends R> fn, Iterator<?> input, long length,
                                   RunOptions options, WorkerOutputPrinter printer) {
        Gatherer gatherer = new Gatherer(printer);
        Run run = submitFunction(fn, Message.CallShape.ONE_ARGUMENT, gatherer, options.isFailFast());
        RunHandle<R> handle = handle(run, gatherer, options.timeout());
        feedInBackground(run, input, length, options.chunkSize());
        return handle;
    }

    /**
     * A run of {@code task} once on each of the given workers (every worker when {@code targets} is empty),
     * one result per worker in worker index order: what {@code %%parallel} does with a cell.
     *
     * @throws IllegalArgumentException if there is no worker of one of those indexes
     */
    public <R> RunHandle<R> submitOnWorkers(SerialCallable<? extends R> task, List<Integer> targets,
                                            RunOptions options) {
        Gatherer gatherer = new Gatherer(new WorkerOutputPrinter());
        return handle(feeder.submitOnWorkers(task, targets, gatherer), gatherer, options.timeout());
    }

    /**
     * Runs snippet classes on the given workers (every worker when {@code targets} is empty): one result per
     * worker in worker index order, the last snippet's value when {@code keepValue}.
     *
     * @throws IllegalArgumentException if there is no worker of one of those indexes
     */
    public RunHandle<Object> submitSnippets(List<String> classes, boolean keepValue, List<Integer> targets,
                                            RunOptions options) {
        return submitSnippets(classes, keepValue, targets, options, new WorkerOutputPrinter());
    }

    /** {@link #submitSnippets(List, boolean, List, RunOptions)}, the workers' output printed by {@code printer}. */
    public RunHandle<Object> submitSnippets(List<String> classes, boolean keepValue, List<Integer> targets,
                                            RunOptions options, WorkerOutputPrinter printer) {
        Gatherer gatherer = new Gatherer(printer);
        return handle(feeder.submitSnippets(classes, keepValue, targets, gatherer), gatherer, options.timeout());
    }

    private <R> RunHandle<R> handle(Run run, Gatherer gatherer, Duration timeout) {
        synchronized (state) {
            lastRun = run.spans;
        }
        return new RunHandle<>(state, supervisor.roster(), waiter, run, gatherer, timeout);
    }

    /** The timeline of the run started last on this pool (a call, a map, a cell), finished or not; null if none was. */
    public RunTimeline lastTimeline() {
        synchronized (state) {
            return lastRun == null ? null : lastRun.snapshot(supervisor.roster().current(), System.nanoTime());
        }
    }

    private <R> RunHandle<R> mapOf(Object fn, Message.CallShape shape, Iterable<?> xs, int chunkSize) {
        Gatherer gatherer = new Gatherer(new WorkerOutputPrinter());
        return fed(submitFunction(fn, shape, gatherer, false), gatherer, xs, chunkSize);
    }

    private <R> RunHandle<R> applyOf(Object fn, Message.CallShape shape, Object arg) {
        Gatherer gatherer = new Gatherer(new WorkerOutputPrinter());
        return fed(submitCall(fn, shape, gatherer), gatherer, Collections.singletonList(arg), 1);
    }

    /** Feeds a run its input: a collection now, whole (see {@link #feedAll}); any other iterable in the background. */
    private <R> RunHandle<R> fed(Run run, Gatherer gatherer, Iterable<?> xs, int chunkSize) {
        if (xs instanceof Collection<?> collection) {
            try {
                feeder.feedAll(run, collection, chunkSize);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted while sending the input");
            }
        } else {
            feedInBackground(run, xs.iterator(), -1, chunkSize);
        }
        return handle(run, gatherer, null);
    }

    // ---- runs ----

    /**
     * Starts a run of a function over elements that the caller then hands over: all at once with
     * {@link #feedAll}, or chunk by chunk with {@link #feed} and {@link #endInput}. The function and
     * the notebook variables it reads are encoded now, so an unsendable one fails before anything runs.
     */
    public Run submitFunction(Object function, Message.CallShape shape, RunListener listener, boolean failFast)
            throws NotSendableException {
        return feeder.submit(function, shape, false, listener, failFast);
    }

    /** Like {@link #submitFunction}, for one call ({@code apply}): its failure names no element. */
    private Run submitCall(Object function, Message.CallShape shape, RunListener listener) throws NotSendableException {
        return feeder.submit(function, shape, true, listener, false);
    }

    /**
     * Queues one chunk of elements, waiting while the run already has enough work queued. Returns false,
     * queueing nothing, if the run was stopped.
     */
    public boolean feed(Run run, List<?> elements) throws NotSendableException, InterruptedException {
        return feeder.feed(run, elements);
    }

    /**
     * Sends a whole input: reads it to the end and encodes every element before any is sent, so an
     * element that cannot be sent fails the call before anything runs; then queues the chunks and ends
     * the input. On failure or interrupt the run is cancelled (nothing of it has run).
     *
     * @param chunkSize 0 to let the pool choose ({@link ChunkSizer})
     */
    public void feedAll(Run run, Iterator<?> input, int chunkSize) throws NotSendableException, InterruptedException {
        feeder.feedAll(run, input, chunkSize);
    }

    /**
     * Hands a run its input and returns at once: an {@link InputReader} thread reads it, whole before
     * anything is queued if its {@code length} is known (as {@link #feedAll} does), else as the workers
     * take it, with bounded memory. So {@link #await}'s timeout bounds the reading too. If the input
     * throws or an element cannot be sent, the run is stopped and {@link #await} throws that exception.
     * The thread is made by the caller's thread, in its thread group: the input is the caller's code, so
     * whatever interrupts the caller (stopping a cell) interrupts its reading too.
     *
     * @param length    how many elements the input has, or -1 if that is unknown (a stream, an iterable
     *                  that is no collection)
     * @param chunkSize elements per task, or 0 to choose
     */
    public void feedInBackground(Run run, Iterator<?> input, long length, int chunkSize) {
        feeder.feedInBackground(run, input, length, chunkSize);
    }

    /** The input is exhausted. */
    public void endInput(Run run) {
        feeder.endInput(run);
    }

    /** See {@link RunWaiter#await}. */
    public void await(Run run, long timeoutMillis) {
        waiter.await(run, timeoutMillis);
    }

    /** See {@link RunWaiter#stop}. */
    public void stop(Run run) {
        waiter.stop(run);
    }

    // ---- status and size ----

    /** One row per worker. */
    public List<WorkerStatus> status() {
        List<WorkerStatus> rows = new ArrayList<>();
        synchronized (state) {
            for (WorkerHandle w : supervisor.roster().current()) {
                String shown = w.silent() ? "silent" : w.state().name().toLowerCase(Locale.ROOT);
                rows.add(new WorkerStatus(w.index, w.pid, shown, w.tasksDone(), supervisor.cpuTime(w),
                        w.host == null ? ProcessStats.rssBytes(w.pid) : w.reportedRssBytes(), w.jarsFetched(),
                        w.host == null ? WorkerStatus.LOCAL : w.host));
            }
        }
        return rows;
    }

    /** Grows or shrinks the pool; removed workers finish their tasks first. */
    public void resize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("a pool needs at least one worker, not " + size);
        }
        synchronized (state) {
            state.checkOpen();
            supervisor.shrinkTo(size);
            for (int i = supervisor.roster().size(); i < size; i++) {
                supervisor.spawn(i);
            }
        }
    }

    // ---- lifecycle ----

    /**
     * Closes gracefully: waits for running tasks, then lets every worker exit and releases everything.
     * It does not wait for a lazy run (imap) that is not finished: its reader may never come back to it
     * (a {@code findFirst()} leaves the stream open). Such a run is stopped: what it still has running
     * is cancelled, its input is read no further, and a reader who comes back gets the results that had
     * arrived, then {@link CancellationException}.
     */
    @Override
    public void close() {
        shutdown.close(false);
    }

    /** Stops at once: running tasks are abandoned and the workers killed. */
    public void terminate() {
        shutdown.close(true);
    }

    /** The pool's own manager, started on first use and closed after the workers when the pool closes. */
    public RealManager manager() {
        return manager.get();
    }

    /** Waits until every worker process has been reaped (after {@link #close} or {@link #terminate}). */
    public void join() {
        shutdown.join();
    }
}
