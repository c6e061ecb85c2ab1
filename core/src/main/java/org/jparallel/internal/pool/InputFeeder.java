package org.jparallel.internal.pool;

import org.jparallel.api.NotSendableException;
import org.jparallel.internal.code.CodeSource;
import org.jparallel.internal.codec.ValueCodec;
import org.jparallel.internal.wire.Message;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * Starts a pool's runs and feeds them their input: the function and the notebook variables it reads are
 * encoded when a run starts, the elements chunk by chunk as they are fed, each chunk a {@link Task} queued
 * on its run for the {@link Dispatcher}. Encoding happens on the caller's thread (or the run's
 * {@link InputReader}) outside the pool's lock; queueing under it.
 */
final class InputFeeder {

    private final PoolState state;
    private final Dispatcher dispatcher;
    private final WorkerRoster workers;
    private final CodeSource code;
    private final ValueCodec values;
    private final RunWaiter waiter;

    InputFeeder(PoolState state, Dispatcher dispatcher, WorkerRoster workers, CodeSource code, ValueCodec values,
                RunWaiter waiter) {
        this.state = state;
        this.dispatcher = dispatcher;
        this.workers = workers;
        this.code = code;
        this.values = values;
        this.waiter = waiter;
    }

    /** Starts a run of a function (see {@link RealWorkerPool#submitFunction}); {@code singleCall} for apply. */
    Run submit(Object function, Message.CallShape shape, boolean singleCall, RunListener listener,
               boolean failFast) throws NotSendableException {
        ValueCodec values = codecFor(List.of());
        byte[] encoded = values.encode(function, "the function");
        List<Message.Variable> variables = code.variablesReadBy(function, values);
        synchronized (state) {
            state.checkOpen();
            return newRun(listener, variables, encoded, shape, singleCall, null, false, failFast, values);
        }
    }

    /** Runs snippet classes on the given workers (all when {@code targets} is empty). */
    Run submitSnippets(List<String> classes, boolean keepValue, List<Integer> targets, RunListener listener)
            throws NotSendableException {
        ValueCodec values = codecFor(targets);
        List<Message.Variable> variables = code.variablesReadBySnippets(classes, values);
        synchronized (state) {
            state.checkOpen();
            List<Integer> on = workersNamed(targets);
            return queueOnWorkers(newRun(listener, variables, null, null, false, List.copyOf(classes), keepValue,
                    false, values), on);
        }
    }

    /**
     * Runs a function of no argument once on each of the given workers (all when {@code targets} is empty):
     * element i of the run is the call on the i-th of them.
     */
    Run submitOnWorkers(Object function, List<Integer> targets, RunListener listener) throws NotSendableException {
        ValueCodec values = codecFor(targets);
        byte[] encoded = values.encode(function, "the function");
        List<Message.Variable> variables = code.variablesReadBy(function, values);
        byte[] nothing = values.encodeAll(Collections.singletonList(null), "element");
        synchronized (state) {
            state.checkOpen();
            List<Integer> on = workersNamed(targets);
            Run run = newRun(listener, variables, encoded, Message.CallShape.NO_ARGUMENT, false, null, false, false,
                    values);
            for (int i = 0; i < on.size(); i++) {
                queue(run, new Task(state.nextId(), run, i, 1, nothing, on.get(i),
                        Collections.singletonList(null)));
            }
            run.endInput();
            return run;
        }
    }

    /**
     * The codec for what is sent to these workers (every worker when {@code targets} is empty): one that refuses
     * this host's shared memory if one of them runs on another host. Decided when a run starts, from the
     * workers it may reach then; elements fed later go with the same codec ({@link Run#values}).
     */
    private ValueCodec codecFor(List<Integer> targets) {
        synchronized (state) {
            return values.reaching(workers.firstOnAnotherHost(targets));
        }
    }

    /** The workers {@code targets} names, each checked to exist, in index order; every worker when it is empty. */
    private List<Integer> workersNamed(List<Integer> targets) {
        List<Integer> on = new ArrayList<>(targets.isEmpty() ? workers.indexes() : targets);
        Collections.sort(on);
        for (int index : on) {
            if (index < 0 || index >= workers.size()) {
                throw new IllegalArgumentException("there is no worker " + index + "; the pool has workers 0 to "
                        + (workers.size() - 1));
            }
        }
        return on;
    }

    /** Queues a run's snippets for each of these workers, element i for the i-th, and ends its input. */
    private Run queueOnWorkers(Run run, List<Integer> on) {
        for (int i = 0; i < on.size(); i++) {
            queue(run, new Task(state.nextId(), run, i, 1, null, on.get(i), null));
        }
        run.endInput();
        return run;
    }

    private Run newRun(RunListener listener, List<Message.Variable> variables, byte[] function,
                       Message.CallShape shape, boolean singleCall, List<String> snippets, boolean keepValue,
                       boolean failFast, ValueCodec values) {
        Run run = new Run(state.nextId(), listener, variables, state.nextId(), function, shape,
                singleCall, snippets, keepValue, failFast);
        run.values = values;
        dispatcher.add(run);
        return run;
    }

    private void queue(Run run, Task task) {
        run.queue(task);
        dispatcher.dispatch();
    }

    /**
     * Queues one chunk of elements, waiting while the run already has enough work queued (two tasks per
     * worker). Returns false, queueing nothing, if the run was stopped.
     */
    boolean feed(Run run, List<?> elements) throws NotSendableException, InterruptedException {
        long first;
        synchronized (state) {
            first = run.elementsQueued();
        }
        byte[] encoded = run.values.encodeAll(elements, "element", first);
        synchronized (state) {
            while (run.queuedTasks() >= 2 * workers.size() && !run.cancelled()) {
                state.wait();
            }
            if (run.cancelled()) {
                return false;
            }
            queue(run, new Task(state.nextId(), run, run.elementsQueued(), elements.size(), encoded, -1, elements));
            return true;
        }
    }

    /**
     * Sends a whole input, then ends it (see {@link RealWorkerPool#feedAll}). On failure or interrupt the run
     * is stopped (nothing of it has run).
     */
    void feedAll(Run run, Iterator<?> input, int chunkSize) throws NotSendableException, InterruptedException {
        stoppingOnFailure(run, () -> queueAll(run, readAll(input), chunkSize));
    }

    /**
     * {@link #feedAll(Run, Iterator, int)} of a collection, copied with one {@code toArray()} (an ArrayList's is a
     * copy of its array) instead of element by element: through its iterator, 100,000 elements took 6 to 7 ms of
     * the caller's CPU in a JVM that had not compiled that loop yet (issue 15: the first map in a fresh pool).
     */
    void feedAll(Run run, Collection<?> input, int chunkSize) throws NotSendableException, InterruptedException {
        stoppingOnFailure(run, () -> queueAll(run, new ArrayList<>(input), chunkSize));
    }

    /** Feeding that may be interrupted. */
    private interface Feeding {
        void run() throws InterruptedException;
    }

    /** Runs {@code feeding}; if it fails or is interrupted, stops the run and rethrows. */
    private void stoppingOnFailure(Run run, Feeding feeding) throws InterruptedException {
        try {
            feeding.run();
        } catch (InterruptedException | RuntimeException e) {
            waiter.stop(run);
            throw e;
        }
    }

    /** {@link #feedAll} without stopping the run on failure: the caller does. */
    void queueAll(Run run, Iterator<?> input, int chunkSize) throws InterruptedException {
        queueAll(run, readAll(input), chunkSize);
    }

    private void queueAll(Run run, List<Object> elements, int chunkSize) throws InterruptedException {
        List<Task> tasks = encodeInput(run, elements, chunkSize);
        synchronized (state) {
            if (!run.cancelled()) {
                tasks.forEach(task -> queue(run, task));
            }
        }
        endInput(run);
    }

    /** The input's elements, read to the end (interruptibly: an input may be slow). */
    private static List<Object> readAll(Iterator<?> input) throws InterruptedException {
        List<Object> elements = new ArrayList<>();
        while (input.hasNext()) {
            if ((elements.size() & 4095) == 0) {
                checkInterrupt();
            }
            elements.add(input.next());
        }
        return elements;
    }

    /** The whole input as encoded tasks, none of them queued yet. */
    private List<Task> encodeInput(Run run, List<Object> elements, int chunkSize)
            throws NotSendableException, InterruptedException {
        ChunkSizer sizer = chunkSizer(chunkSize, elements.size());
        List<Task> tasks = new ArrayList<>();
        int first = 0;
        while (first < elements.size()) {
            checkInterrupt();
            int size = Math.min(sizer.next(first), elements.size() - first);
            List<Object> chunk = elements.subList(first, first + size);
            tasks.add(new Task(state.nextId(), run, first, size, run.values.encodeAll(chunk, "element", first), -1,
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

    /** Hands a run its input, read on an {@link InputReader} thread (see {@link RealWorkerPool#feedInBackground}). */
    void feedInBackground(Run run, Iterator<?> input, long length, int chunkSize) {
        Thread reader = new Thread(new InputReader(this, waiter, run, input, length, chunkSize),
                "jparallel-input-" + run.id);
        reader.setDaemon(true);
        synchronized (state) {
            run.readBy(reader);
        }
        reader.start();
    }

    /** The results of a run over a lazy input, read on demand with bounded memory. */
    <R> LazyResults<R> lazyResults(Run run, Gatherer gatherer, Iterator<?> input, int chunkSize, boolean ordered) {
        int size;
        synchronized (state) {
            run.readLazily();
            size = workers.size();
        }
        long window = Math.max(64L * size, 8L * size * (chunkSize > 0 ? chunkSize : 1024));
        return new LazyResults<>(this, waiter, run, gatherer, input, chunkSizer(chunkSize, -1), ordered, window);
    }

    /** How the input is cut into tasks: {@code chunkSize} elements, or chosen for this length (-1 if unknown). */
    ChunkSizer chunkSizer(int chunkSize, long length) {
        if (chunkSize > 0) {
            return ChunkSizer.fixed(chunkSize);
        }
        int size;
        synchronized (state) {
            size = workers.size();
        }
        return length >= 0 ? ChunkSizer.forLength(length, size) : ChunkSizer.lazy(size);
    }

    /** The input is exhausted. */
    void endInput(Run run) {
        synchronized (state) {
            run.endInput();
            dispatcher.finishIfComplete(run);
        }
    }
}
