package org.jparallel.internal.pool;

import org.jparallel.api.Manager;
import org.jparallel.api.NotSendableException;
import org.jparallel.api.SerialCallable;
import org.jparallel.api.SerialRunnable;
import org.jparallel.api.TaskFailure;
import org.jparallel.api.WorkerStatus;
import org.jparallel.internal.code.CodeSource;
import org.jparallel.internal.wire.MessageCodec;
import org.jparallel.internal.codec.ValueCodec;
import org.jparallel.internal.launch.WorkerLauncher;
import org.jparallel.internal.launch.WorkerOutputPrinter;
import org.jparallel.internal.wire.Message;
import org.jparallel.internal.wire.PeerAuthentication;
import org.jparallel.internal.wire.ServiceThreads;
import org.jparallel.internal.wire.WireServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A pool of worker JVMs: the machinery behind {@code WorkerPool} and the {@code %%parallel} magics.
 *
 * <p>It owns its wire (the server every worker connects to) and every worker process. Supervision
 * ({@link Supervisor}), dispatch and gathering ({@link Dispatcher}) share one lock; callers wait on it.
 * Thread-safe.
 */
public final class RealWorkerPool implements AutoCloseable {

    /** How long a cancelled run may take to stop before its workers are killed and replaced. */
    private static final long STOP_GRACE_MS = 1500;
    private static final long EXIT_GRACE_MS = 2000;

    /** How often the workers' liveness is checked. */
    private static final long WATCH_MS = 250;
    private static final ScheduledExecutorService WATCHER = Executors.newSingleThreadScheduledExecutor(
            body -> ServiceThreads.daemon(body, "jparallel-liveness"));

    /**
     * How to start a pool.
     *
     * @param livenessLimit how long a worker may send nothing before it is killed and replaced (see
     *                      {@link Liveness}); null for the system property or the default, zero for no limit
     */
    public record Options(int size, List<String> jvmOptions, SerialRunnable initializer, int maxTasksPerWorker,
                          Duration livenessLimit) {
        public Options {
            if (size < 1) {
                throw new IllegalArgumentException("a pool needs at least one worker, not " + size);
            }
            jvmOptions = List.copyOf(jvmOptions);
        }

        /** Options with the default liveness limit. */
        public Options(int size, List<String> jvmOptions, SerialRunnable initializer, int maxTasksPerWorker) {
            this(size, jvmOptions, initializer, maxTasksPerWorker, null);
        }
    }

    private final Object lock = new Object();
    private final Options options;
    private final CodeSource code;
    private final ValueCodec values;
    private final WireServer wire;
    private final Supervisor supervisor;
    private final Dispatcher dispatcher;
    private final AtomicLong ids = new AtomicLong();
    /** Prints what workers write outside any task (task 0, or a task no longer theirs), as theirs. */
    private final WorkerOutputPrinter outsideTasks = WorkerOutputPrinter.outsideTasks();
    private final WorkerOutputPrinter initializerOutput = WorkerOutputPrinter.initializer();
    /** The initializer as a function of no argument, and the one element of its task; null without one. */
    private byte[] initializer;
    private byte[] initializerElement;
    private String startFailure;
    private boolean closing;
    /** The manager this pool owns, started by the first {@link #manager()}; closed with the pool. */
    private Manager manager;
    private final ScheduledFuture<?> watch;

    private RealWorkerPool(Options options, CodeSource code) {
        this.options = options;
        this.code = code;
        this.values = new ValueCodec(code.classLoader());
        byte[] secret = PeerAuthentication.newSecret();
        MessageCodec messages = new MessageCodec();
        try {
            this.wire = new WireServer(secret, messages, new WireServer.Listener() {
                @Override
                public void onMessage(int peer, Message message) {
                    received(peer, message);
                }

                @Override
                public void onClosed(int peer) {
                    connectionClosed(peer);
                }
            }, "jparallel-pool-wire");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the pool's wire on 127.0.0.1: " + e.getMessage(), e);
        }
        Liveness liveness;
        try {
            liveness = Liveness.of(options.livenessLimit());
        } catch (IllegalArgumentException e) {
            wire.close();
            throw e;
        }
        this.supervisor = new Supervisor(new WorkerLauncher(code.workerClasspath(), options.jvmOptions()), secret, wire, liveness, this::exited);
        this.dispatcher = new Dispatcher(supervisor, wire, code, values, options.maxTasksPerWorker(),
                ids::incrementAndGet, lock::notifyAll);
        this.watch = WATCHER.scheduleWithFixedDelay(this::watch, WATCH_MS, WATCH_MS, TimeUnit.MILLISECONDS);
    }

    /** Starts the worker processes; returns at once (see {@link #awaitReady}). */
    public static RealWorkerPool start(Options options, CodeSource code) throws NotSendableException {
        RealWorkerPool pool = new RealWorkerPool(options, code);
        if (options.initializer() != null) {
            SerialRunnable init = options.initializer();
            SerialCallable<Object> call = () -> {
                init.run();
                return null;
            };
            pool.initializer = pool.values.encode(call, "initializer");
            pool.initializerElement = pool.values.encodeAll(Collections.singletonList(null), "element");
        }
        synchronized (pool.lock) {
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
        synchronized (lock) {
            return supervisor.workers.size();
        }
    }

    /** Waits until every worker has said hello. */
    public void awaitReady(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (lock) {
            while (!supervisor.allReady() && startFailure == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("the workers did not start within " + unit.toSeconds(timeout) + " s");
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            if (startFailure != null) {
                throw new IllegalStateException(startFailure);
            }
        }
    }

    // ---- messages and process exits ----

    private void received(int peer, Message message) {
        synchronized (lock) {
            WorkerHandle worker = supervisor.byPeer(peer);
            if (worker == null) {
                return;
            }
            if (supervisor.heard(worker)) {
                dispatcher.reportWorker(worker); // it answers again
            }
            if (message instanceof Message.Heartbeat) {
                return;
            }
            if (message instanceof Message.Hello hello) {
                if (supervisor.ready(worker) && initializer != null) {
                    dispatcher.initialize(worker, initializerTask(worker));
                }
            } else if (message instanceof Message.Output output) {
                Task task = worker.inFlight.get(output.task());
                if (task != null) {
                    task.run.listener.output(worker.index, worker.pid(), output.error(), output.text());
                } else {
                    outsideTasks.print(worker.index, worker.pid(), output.error(), output.text());
                }
            } else if (message instanceof Message.Done done) {
                dispatcher.done(worker, done);
                if (dispatcher.quotaUsed(worker) && worker.state == WorkerState.IDLE) {
                    supervisor.replace(worker); // its last task is done: it exits, a fresh JVM takes its place
                } else {
                    supervisor.dismissIfIdle(worker);
                }
            }
            dispatcher.dispatch();
            lock.notifyAll();
        }
    }

    /** The initializer, as the one task of a run of its own for this worker. */
    private Task initializerTask(WorkerHandle worker) {
        RunListener printing = new RunListener() {
            @Override
            public void output(int index, long pid, boolean error, String text) {
                initializerOutput.print(index, pid, error, text);
            }

            @Override
            public void finished() {
                initializerOutput.finish(worker.index, worker.pid());
            }
        };
        Run run = new Run(ids.incrementAndGet(), printing, List.of(), ids.incrementAndGet(), initializer,
                Message.CallShape.NO_ARGUMENT, true, null, false, false);
        Task task = new Task(ids.incrementAndGet(), run, 0, 1, initializerElement, worker.index, null);
        run.tasksOut = 1;
        run.elementsQueued = 1;
        run.inputDone = true;
        return task;
    }

    /**
     * A worker's process ended (on the JDK's reaper thread). What it sent before it ended is read first: while
     * its connection is open, its end is handled when the connection closes ({@link #connectionClosed}), so a
     * result it sent just before is not mistaken for a task it was running.
     */
    private void exited(WorkerHandle worker) {
        synchronized (lock) {
            if (wire.connected(worker.peer)) {
                worker.exitSeen = true;
                return;
            }
            ended(worker);
        }
    }

    private void connectionClosed(int peer) {
        synchronized (lock) {
            WorkerHandle worker = supervisor.byPeer(peer);
            if (worker != null && worker.exitSeen) {
                ended(worker);
            }
        }
    }

    private void ended(WorkerHandle worker) {
        boolean wasStarting = worker.state == WorkerState.STARTING;
        boolean current = supervisor.isCurrent(worker);
        boolean unexpected = supervisor.exited(worker);
        outsideTasks.finish(worker.index, worker.pid()); // the end of what it printed outside tasks, if held back
        if (unexpected) {
            dispatcher.lost(worker, worker.unresponsive != null ? TaskFailure.Kind.WORKER_UNRESPONSIVE
                    : TaskFailure.Kind.WORKER_DIED, worker.deathCause);
            if (wasStarting) {
                startFailure = "worker " + worker.index + " could not start: " + worker.deathCause
                        + (options.jvmOptions().isEmpty() ? "" : " (JVM options: " + String.join(" ", options.jvmOptions()) + ")");
            } else if (current && !closing) {
                supervisor.spawn(worker.index);
            }
        } else {
            dispatcher.lost(worker, TaskFailure.Kind.WORKER_DIED, "the worker process was stopped");
        }
        dispatcher.dispatch();
        lock.notifyAll();
    }

    /** Checks that the workers still answer (see {@link Liveness}); on the shared liveness thread. */
    private void watch() {
        synchronized (lock) {
            if (closing) {
                return;
            }
            for (WorkerHandle silent : supervisor.watch(System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(WATCH_MS))) {
                dispatcher.reportWorker(silent);
            }
        }
    }

    // ---- runs ----

    private Run newRun(RunListener listener, List<Message.Variable> variables, byte[] function,
                       Message.CallShape shape, boolean singleCall, List<String> snippets, boolean failFast) {
        Run run = new Run(ids.incrementAndGet(), listener, variables, ids.incrementAndGet(), function, shape,
                singleCall, snippets, snippets != null, failFast);
        dispatcher.add(run);
        return run;
    }

    private void queue(Run run, Task task) {
        run.ready.add(task);
        run.tasksOut++;
        run.elementsQueued += task.size;
        dispatcher.dispatch();
    }

    /**
     * Starts a run of a function over elements that the caller then hands over: all at once with
     * {@link #feedAll}, or chunk by chunk with {@link #feed} and {@link #endInput}. The function and
     * the notebook variables it reads are encoded now, so an unsendable one fails before anything runs.
     */
    public Run submitFunction(Object function, Message.CallShape shape, RunListener listener, boolean failFast)
            throws NotSendableException {
        return submit(function, shape, false, listener, failFast);
    }

    /** Like {@link #submitFunction}, for one call ({@code apply}): its failure names no element. */
    public Run submitCall(Object function, Message.CallShape shape, RunListener listener) throws NotSendableException {
        return submit(function, shape, true, listener, false);
    }

    private Run submit(Object function, Message.CallShape shape, boolean singleCall, RunListener listener,
                       boolean failFast) throws NotSendableException {
        byte[] encoded = values.encode(function, "the function");
        List<Message.Variable> variables = code.variablesReadBy(function);
        synchronized (lock) {
            checkOpen();
            return newRun(listener, variables, encoded, shape, singleCall, null, failFast);
        }
    }

    /**
     * Queues one chunk of elements, waiting while the run already has enough work queued. Returns false,
     * queueing nothing, if the run was stopped.
     */
    public boolean feed(Run run, List<?> elements) throws NotSendableException, InterruptedException {
        long first;
        synchronized (lock) {
            first = run.elementsQueued;
        }
        byte[] encoded = values.encodeAll(elements, "element", first);
        synchronized (lock) {
            while (run.ready.size() >= 2 * supervisor.workers.size() && !run.cancelled) {
                lock.wait();
            }
            if (run.cancelled) {
                return false;
            }
            queue(run, new Task(ids.incrementAndGet(), run, run.elementsQueued, elements.size(), encoded, -1, elements));
            return true;
        }
    }

    /**
     * Sends a whole input: reads it to the end and encodes every element before any is sent, so an
     * element that cannot be sent fails the call before anything runs; then queues the chunks and ends
     * the input. On failure or interrupt the run is cancelled (nothing of it has run).
     *
     * @param chunkSize 0 to choose by Python's rule (length / (4 × workers), rounded up)
     */
    public void feedAll(Run run, Iterator<?> input, int chunkSize) throws NotSendableException, InterruptedException {
        try {
            queueAll(run, input, chunkSize);
        } catch (InterruptedException | RuntimeException e) {
            stop(run);
            throw e;
        }
    }

    /** {@link #feedAll} without stopping the run on failure: the caller does. */
    void queueAll(Run run, Iterator<?> input, int chunkSize) throws InterruptedException {
        List<Task> tasks = encodeInput(run, input, chunkSize);
        synchronized (lock) {
            if (!run.cancelled) {
                tasks.forEach(task -> queue(run, task));
            }
        }
        endInput(run);
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
        Thread reader = new Thread(new InputReader(this, run, input, length, chunkSize), "jparallel-input-" + run.id);
        reader.setDaemon(true);
        synchronized (lock) {
            run.inputReader = reader;
        }
        reader.start();
    }

    /**
     * Stops a run for a reason whoever waits for it or reads it must hear ({@link RunListener#stopped}):
     * {@link #await} throws {@code why}. Does nothing to a run already stopped or finished.
     */
    void stopFor(Run run, RuntimeException why) {
        synchronized (lock) {
            if (run.cancelled || run.finished) {
                return;
            }
            run.stoppedBy = why;
            run.listener.stopped(why);
        }
        stop(run);
    }

    /** The whole input as encoded tasks, none of them queued yet. */
    private List<Task> encodeInput(Run run, Iterator<?> input, int chunkSize)
            throws NotSendableException, InterruptedException {
        List<Object> elements = new ArrayList<>();
        while (input.hasNext()) {
            if ((elements.size() & 4095) == 0) {
                checkInterrupt();
            }
            elements.add(input.next());
        }
        ChunkSizer sizer = chunkSizer(chunkSize, elements.size());
        List<Task> tasks = new ArrayList<>();
        int first = 0;
        while (first < elements.size()) {
            checkInterrupt();
            int size = Math.min(sizer.next(first), elements.size() - first);
            List<Object> chunk = elements.subList(first, first + size);
            tasks.add(new Task(ids.incrementAndGet(), run, first, size, values.encodeAll(chunk, "element", first), -1,
                    chunk));
            first += size;
        }
        return tasks;
    }

    private static void checkInterrupt() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    /** The results of a run over a lazy input, read on demand with bounded memory. */
    public <R> LazyResults<R> lazyResults(Run run, Gatherer gatherer, Iterator<?> input, int chunkSize, boolean ordered) {
        int workers = size();
        ChunkSizer sizer = chunkSizer(chunkSize, -1);
        long window = Math.max(64L * workers, 8L * workers * (chunkSize > 0 ? chunkSize : 1024));
        synchronized (lock) {
            run.lazy = true;
        }
        return new LazyResults<>(this, run, gatherer, input, sizer, ordered, window);
    }

    ChunkSizer chunkSizer(int chunkSize, long length) {
        if (chunkSize > 0) {
            return ChunkSizer.fixed(chunkSize);
        }
        return length >= 0 ? ChunkSizer.forLength(length, size()) : ChunkSizer.lazy(size());
    }

    /** The input is exhausted. */
    public void endInput(Run run) {
        synchronized (lock) {
            run.inputDone = true;
            dispatcher.finishIfComplete(run);
        }
    }

    /** Runs snippet classes on the given workers (all when {@code targets} is empty). */
    public Run submitSnippets(List<String> classes, boolean keepValue, List<Integer> targets, RunListener listener)
            throws NotSendableException {
        List<Message.Variable> variables = code.variablesReadBySnippets(classes);
        synchronized (lock) {
            checkOpen();
            Run run = newRun(listener, variables, null, null, false, List.copyOf(classes), false);
            List<Integer> on = targets.isEmpty() ? indexes() : targets;
            for (int index : on) {
                if (index < 0 || index >= supervisor.workers.size()) {
                    throw new IllegalArgumentException("there is no worker " + index + "; the pool has workers 0 to "
                            + (supervisor.workers.size() - 1));
                }
            }
            for (int index : on) {
                queue(run, new Task(ids.incrementAndGet(), run, index, 1, null, index, null));
            }
            run.inputDone = true;
            return run;
        }
    }

    private List<Integer> indexes() {
        List<Integer> all = new ArrayList<>();
        for (WorkerHandle w : supervisor.workers) {
            all.add(w.index);
        }
        return all;
    }

    /**
     * Waits for a run to finish. On interrupt it stops the run (see {@link #stop}) and throws
     * {@link CancellationException}, with the thread's interrupt flag set again. A run stopped because
     * its input failed throws that failure ({@link #feedInBackground}).
     *
     * @param timeoutMillis 0 to wait for ever; otherwise the run is stopped this long after it was
     *                      submitted — reading its input included — and {@link CancellationException} says so
     */
    public void await(Run run, long timeoutMillis) {
        long deadline = timeoutMillis > 0 ? run.startedNanos + TimeUnit.MILLISECONDS.toNanos(timeoutMillis) : 0;
        String unread = "";
        try {
            synchronized (lock) {
                while (!run.finished) {
                    failIfNoWorkers(run);
                    if (deadline == 0) {
                        lock.wait();
                    } else {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            unread = unread(run);
                            break;
                        }
                        TimeUnit.NANOSECONDS.timedWait(lock, left);
                    }
                }
            }
        } catch (InterruptedException e) {
            stop(run);
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted: " + run.done + " element(s) had finished");
        }
        if (!run.finished) {
            stop(run);
            throw new CancellationException("timed out after " + timeoutMillis / 1000.0 + " s: " + run.done
                    + " element(s) had finished" + unread);
        }
        synchronized (lock) {
            if (run.stoppedBy != null) {
                throw run.stoppedBy;
            }
        }
    }

    /** For a timeout message: how far the reading of an input not yet read to its end had come. */
    private static String unread(Run run) {
        return run.inputDone ? "" : "; the input was still being read, " + run.elementsQueued
                + " element(s) of the input had been read";
    }

    private void failIfNoWorkers(Run run) {
        if (startFailure != null && supervisor.workers.stream().allMatch(w -> w.state == WorkerState.DEAD)) {
            dispatcher.cancel(run);
            throw new IllegalStateException(startFailure);
        }
    }

    /**
     * Cancels a run: queued tasks are dropped, running ones stopped, the reading of its input
     * interrupted. A worker that has not given its task back after a grace period is killed and replaced.
     * Returns once the run is finished.
     */
    public void stop(Run run) {
        boolean interrupted = Thread.interrupted();
        try {
            synchronized (lock) {
                dispatcher.cancel(run);
                stopReading(run);
                waitFinished(run, STOP_GRACE_MS);
                if (!run.finished) {
                    for (Task task : dispatcher.tasksOf(run)) {
                        task.worker.process.destroyForcibly();
                    }
                    waitFinished(run, EXIT_GRACE_MS + STOP_GRACE_MS);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void stopReading(Run run) {
        if (run.inputReader != null && run.inputReader != Thread.currentThread()) {
            run.inputReader.interrupt();
        }
    }

    private void waitFinished(Run run, long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        long left;
        while (!run.finished && (left = deadline - System.nanoTime()) > 0) {
            try {
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void checkOpen() {
        if (closing) {
            throw new IllegalStateException("this pool is closed; start a new one");
        }
    }

    // ---- status and size ----

    /** One row per worker. */
    public List<WorkerStatus> status() {
        List<WorkerStatus> rows = new ArrayList<>();
        synchronized (lock) {
            for (WorkerHandle w : supervisor.workers) {
                String state = w.silent ? "silent" : w.state.name().toLowerCase(Locale.ROOT);
                rows.add(new WorkerStatus(w.index, w.pid(), state, w.tasksDone,
                        ProcessStats.cpuTime(w.process.toHandle()), ProcessStats.rssBytes(w.pid())));
            }
        }
        return rows;
    }

    /** Grows or shrinks the pool; removed workers finish their tasks first. */
    public void resize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("a pool needs at least one worker, not " + size);
        }
        synchronized (lock) {
            checkOpen();
            supervisor.shrinkTo(size);
            for (int i = supervisor.workers.size(); i < size; i++) {
                supervisor.spawn(i);
            }
        }
    }

    /**
     * Closes gracefully: waits for running tasks, then lets every worker exit and releases everything.
     * It does not wait for a lazy run (imap) that is not finished: its reader may never come back to it
     * (a {@code findFirst()} leaves the stream open). Such a run is stopped: what it still has running
     * is cancelled, its input is read no further, and a reader who comes back gets the results that had
     * arrived, then {@link CancellationException}.
     */
    @Override
    public void close() {
        shutdown(false);
    }

    /** Stops at once: running tasks are abandoned and the workers killed. */
    public void terminate() {
        shutdown(true);
    }

    private void shutdown(boolean now) {
        List<WorkerHandle> live = List.of();
        synchronized (lock) {
            if (!closing) {
                for (Run run : dispatcher.openRuns()) {
                    if (now) {
                        stopReading(run);
                    } else if (run.lazy) {
                        stopFor(run, new CancellationException("the pool was closed while this lazy map was still open:"
                                + " results not yet read were discarded and the rest of the input was not read"));
                    }
                }
            }
            while (!now && !closing && !dispatcher.idle()) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    now = true;
                }
            }
            if (!closing) {
                closing = true;
                watch.cancel(false);
                if (now) {
                    dispatcher.abandonAll("the pool was terminated");
                }
                live = supervisor.live();
                live.forEach(supervisor::dismiss);
            }
        }
        for (WorkerHandle w : live) {
            w.destroy(now ? 0 : EXIT_GRACE_MS);
        }
        wire.close();
        Manager owned;
        synchronized (lock) {
            owned = manager;
        }
        if (owned != null) {
            owned.close();
        }
    }

    /** The pool's own manager, started on first use and closed after the workers when the pool closes. */
    public Manager manager() {
        synchronized (lock) {
            checkOpen();
            if (manager == null) {
                manager = Manager.start();
            }
            return manager;
        }
    }

    /** Waits until every worker process has been reaped (after {@link #close} or {@link #terminate}). */
    public void join() {
        List<WorkerHandle> live;
        synchronized (lock) {
            live = supervisor.live();
        }
        for (WorkerHandle w : live) {
            w.destroy(EXIT_GRACE_MS);
        }
    }
}
