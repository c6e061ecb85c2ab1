package org.jparallel.internal.worker;

import jdk.jshell.spi.ExecutionControl.ClassBytecodes;
import org.jparallel.api.NotSendableException;
import org.jparallel.api.SerialBiFunction;
import org.jparallel.api.SerialCallable;
import org.jparallel.api.SerialFunction;
import org.jparallel.api.SerialRunnable;
import org.jparallel.internal.codec.CodecException;
import org.jparallel.internal.codec.ValueCodec;
import org.jparallel.internal.wire.Message;
import org.jparallel.internal.code.CellStop;
import org.jparallel.internal.code.SnippetLoader;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * A worker's two task threads: they read what the kernel sends and run it, one message at a time, in
 * order.
 *
 * <p>Code and variable messages prepare the worker; run messages execute the notebook's code and report
 * a {@link Message.Done} with one result or failure per element. A cancel stops the running task at its
 * next stop check or blocking call, and drops queued ones.
 *
 * <p><b>Leader and follower.</b> One thread at a time reads the connection. When it reads a message to run
 * and nothing runs, it hands the reading to the other thread and runs the message itself, so a task
 * starts without waking another thread first (a wake-up costs tens of microseconds on a busy machine,
 * and a round trip has few other steps). While a task runs, the other thread reads: a cancel is seen at
 * once, and messages to run are queued for the running thread, which takes them in order when it is done.
 */
final class TaskRunner {

    private static final int CACHED_FUNCTIONS = 64;
    /**
     * How often a chunk that runs long says how many of its elements are done ({@link Message.Progress}), so
     * that the kernel's progress moves within it. The first comes only after this long, so chunks shorter than
     * that send nothing more: a clock read every 8 elements is all they pay.
     */
    static final long PROGRESS_MS = 200;
    private static final long PROGRESS_NS = PROGRESS_MS * 1_000_000;
    /** The clock is read every 8 elements: a read per element cost tiny elements a tenth of their time. */
    private static final int PROGRESS_CHECK_EVERY = 8;

    private final SnippetLoader code;
    private final ValueCodec codec;
    private final Inbound inbound;
    private final Consumer<Message> reply;
    private final IntConsumer onExit;
    private final Runnable onDisconnect;
    private final Object lock = new Object();
    // guarded by lock
    private final ArrayDeque<Message> queue = new ArrayDeque<>();
    private boolean reading;
    private boolean busy;
    private final Set<Long> cancelled = ConcurrentHashMap.newKeySet();
    private final Map<Long, Object> functions = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Object> eldest) {
            return size() > CACHED_FUNCTIONS;
        }
    };
    private final Object runningLock = new Object();
    private final List<Thread> threads;
    private long running;
    private Thread runningThread;
    /**
     * Whether the task running now was cancelled (set with {@link #running}): what a chunk checks before each
     * element. A look-up in {@link #cancelled} per element (a Long boxed and hashed) made 6 of the 14 methods C2
     * compiled during the first map of a fresh pool; without it, the two workers spent 63 ms of CPU on that map
     * instead of 83 (medians of 8 runs, issue 15).
     */
    private volatile boolean runningCancelled;
    private volatile long highestReceived;
    private volatile long cancelledThrough;
    private RuntimeException setupFailure;
    /**
     * Jars of the code this worker could not get (their host's cache lacked them and the kernel could not send
     * them), in order: each task tries them again first and fails with the reason while one is still missing.
     */
    private final List<Message.Jar> missingJars = new ArrayList<>();
    private RuntimeException missingJarFailure;
    private final JarFetcher jars;

    /** Where a worker's messages come from: its connection to the kernel, read by one thread at a time. */
    interface Inbound {
        /** The next message; throws when the connection ends. */
        Message next() throws IOException;
    }

    /**
     * @param reply        sends a message to the kernel, from a task thread
     * @param onExit       told to exit with a status (must not return)
     * @param onDisconnect the connection ended
     */
    TaskRunner(SnippetLoader code, ValueCodec codec, Inbound inbound, Consumer<Message> reply, IntConsumer onExit,
               Runnable onDisconnect) {
        this.code = code;
        this.codec = codec;
        this.inbound = inbound;
        this.reply = reply;
        this.onExit = onExit;
        this.onDisconnect = onDisconnect;
        this.jars = new JarFetcher(reply);
        this.threads = List.of(new Thread(this::serve, "jparallel-task-1"), new Thread(this::serve, "jparallel-task-2"));
        threads.forEach(t -> t.setContextClassLoader(code.classLoader()));
    }

    void start() {
        threads.forEach(Thread::start);
    }

    /** The task running now, or 0. */
    long currentTask() {
        synchronized (runningLock) {
            return running;
        }
    }

    /** Cancels one task, or every task received so far when {@code task} is 0. */
    private void cancel(long task) {
        if (task == 0) {
            cancelledThrough = highestReceived;
        } else {
            cancelled.add(task);
        }
        synchronized (runningLock) {
            if (running != 0 && isCancelled(running)) {
                runningCancelled = true;
                CellStop.request();
                runningThread.interrupt();
            }
        }
    }

    private boolean isCancelled(long task) {
        return task <= cancelledThrough || cancelled.contains(task);
    }

    private static long taskOf(Message message) {
        if (message instanceof Message.RunChunk chunk) {
            return chunk.task();
        }
        if (message instanceof Message.RunSnippets snippets) {
            return snippets.task();
        }
        return 0;
    }

    private void serve() {
        try {
            while (true) {
                takeTheReading();
                runFrom(readUntilSomethingToRun());
            }
        } catch (IOException e) {
            onDisconnect.run();
        }
    }

    /** Waits until the other thread hands over the reading, and takes it. */
    private void takeTheReading() {
        synchronized (lock) {
            while (reading) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    // nothing interrupts a thread that runs no task; go on waiting
                }
            }
            reading = true;
        }
    }

    /**
     * Reads until a message arrives that this thread is to run: cancels are carried out at once, and while
     * the other thread runs something, messages are queued for it. Returns with the reading handed over.
     */
    private Message readUntilSomethingToRun() throws IOException {
        while (true) {
            Message message = inbound.next();
            if (message instanceof Message.Cancel cancel) {
                cancel(cancel.task());
                continue;
            }
            if (JarFetcher.isAnswer(message)) { // the task thread that handles a definition waits for it
                jars.deliver(message);
                continue;
            }
            long task = taskOf(message);
            if (task > highestReceived) {
                highestReceived = task;
            }
            synchronized (lock) {
                if (busy) {
                    queue.addLast(message);
                    continue;
                }
                busy = true;
                reading = false;
                lock.notifyAll();
                return message;
            }
        }
    }

    /** Runs a message, then those queued meanwhile, until none is left. */
    private void runFrom(Message first) {
        Message message = first;
        while (message != null) {
            if (message instanceof Message.Exit exit) {
                onExit.accept(exit.status());
                return;
            }
            try {
                handle(message);
            } catch (RuntimeException | LinkageError e) {
                setupFailure = new IllegalStateException("the worker could not prepare the next task: " + e, e);
            }
            synchronized (lock) {
                message = queue.pollFirst();
                if (message == null) {
                    busy = false;
                }
            }
        }
    }

    private void handle(Message message) {
        if (message instanceof Message.DefineCode define) {
            missingJars.addAll(define.jars());
            gotMissingJars();
            ClassBytecodes[] classes = define.classes().entrySet().stream()
                    .map(e -> new ClassBytecodes(e.getKey(), e.getValue())).toArray(ClassBytecodes[]::new);
            try {
                code.load(classes);
            } catch (Exception e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        } else if (message instanceof Message.SetVariables set) {
            for (Message.Variable v : set.variables()) {
                setVariable(v);
            }
        } else if (message instanceof Message.RunChunk chunk) {
            run(chunk.task(), () -> runChunk(chunk));
        } else if (message instanceof Message.RunSnippets snippets) {
            run(snippets.task(), () -> runSnippets(snippets));
        }
    }

    /**
     * Gets the jars still missing, in order, onto the class path; returns whether none is missing now. The first
     * that cannot be had stops it, its reason kept for the tasks.
     */
    private boolean gotMissingJars() {
        while (!missingJars.isEmpty()) {
            try {
                code.addJar(jars.get(missingJars.get(0)));
            } catch (IllegalStateException e) {
                missingJarFailure = e;
                return false;
            }
            missingJars.remove(0);
        }
        return true;
    }

    private void setVariable(Message.Variable v) {
        try {
            Class<?> owner = Class.forName(v.className(), true, code.classLoader());
            Field field = owner.getDeclaredField(v.field());
            field.setAccessible(true);
            field.set(null, codec.decode(v.value()));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot set notebook variable " + v.field() + ": " + e, e);
        }
    }

    /** One task's body: fills results (one per element) and failures. */
    private interface Body {
        Outcome run();
    }

    private record Outcome(List<Object> results, List<Message.Failure> failures) {
    }

    private void run(long task, Body body) {
        long began = System.nanoTime();
        synchronized (runningLock) {
            running = task;
            runningThread = Thread.currentThread();
            runningCancelled = false;
            CellStop.clear();
            Thread.interrupted();
        }
        Outcome outcome;
        try {
            if (isCancelled(task)) {
                outcome = new Outcome(List.of(), List.of(Failures.cancelled(-1)));
            } else if (!gotMissingJars()) {
                outcome = new Outcome(List.of(), List.of(Failures.of(-1, missingJarFailure)));
            } else if (setupFailure != null) {
                RuntimeException failure = setupFailure;
                setupFailure = null;
                outcome = new Outcome(List.of(), List.of(Failures.of(-1, failure)));
            } else {
                outcome = body.run();
            }
        } catch (RuntimeException | LinkageError e) {
            // the task failed before its first element: every element fails with the reason
            outcome = new Outcome(List.of(), List.of(Failures.of(-1, e)));
        } finally {
            synchronized (runningLock) {
                running = 0;
                Thread.interrupted();
            }
        }
        reply.accept(done(task, outcome, began));
    }

    /** The report of a task taken up at {@code began}: its time on this worker runs to the end of the encoding. */
    private Message.Done done(long task, Outcome outcome, long began) {
        List<Message.Failure> failures = new ArrayList<>(outcome.failures());
        List<Object> results = new ArrayList<>(outcome.results());
        byte[] encoded;
        try {
            encoded = codec.encodeAll(results, "result");
        } catch (NotSendableException whole) {
            // find the elements whose results cannot be sent, and send the rest
            for (int i = 0; i < results.size(); i++) {
                try {
                    codec.encode(results.get(i), "result");
                } catch (NotSendableException e) {
                    results.set(i, null);
                    failures.add(Failures.notSendable(i, e.getMessage()));
                }
            }
            try {
                encoded = codec.encodeAll(results, "result");
            } catch (NotSendableException together) {
                // each result encodes alone but not all of them together (out of memory): the task fails whole
                return report(task, codec.encodeAll(List.of(), "result"),
                        List.of(Failures.notSendable(-1, together.getMessage())), began);
            }
        }
        return report(task, encoded, failures, began);
    }

    /** The report of a task taken up at {@code began}, stamped with this worker's clock now (see {@link Message.Done}). */
    private static Message.Done report(long task, byte[] results, List<Message.Failure> failures, long began) {
        long now = System.nanoTime();
        return new Message.Done(task, results, failures, now - began, now);
    }

    private Outcome runChunk(Message.RunChunk chunk) {
        Object function = functionOf(chunk);
        List<Object> elements;
        try {
            elements = codec.decodeAll(chunk.elements());
        } catch (CodecException e) {
            throw new IllegalStateException("the worker could not decode the elements: " + e.getMessage(), e);
        }
        Object[] results = new Object[elements.size()];
        List<Message.Failure> failures = new ArrayList<>();
        long nextProgress = elements.size() > 1 ? System.nanoTime() + PROGRESS_NS : Long.MAX_VALUE;
        for (int i = 0; i < elements.size(); i += PROGRESS_CHECK_EVERY) {
            if (i > 0 && nextProgress != Long.MAX_VALUE) {
                long now = System.nanoTime();
                if (now - nextProgress >= 0) {
                    reply.accept(new Message.Progress(chunk.task(), i));
                    nextProgress = now + PROGRESS_NS;
                }
            }
            if (!runElements(chunk, function, elements, i, Math.min(elements.size(), i + PROGRESS_CHECK_EVERY),
                    results, failures)) {
                break;
            }
        }
        return new Outcome(Arrays.asList(results), failures);
    }

    /**
     * Runs elements {@code from} to {@code to} (exclusive) of a chunk into {@code results} and {@code failures}.
     * Returns false if the chunk was stopped: every element after the one stopped is then a cancelled failure.
     *
     * <p>A method of its own, called for every {@value #PROGRESS_CHECK_EVERY} elements, so that the JIT compiles it
     * after about 2,000 elements: a loop in a method called once per chunk runs in the interpreter until it has
     * gone round about 60,000 times, which in a fresh pool was longer than a whole first map of 100,000 elements
     * (see {@code BoxedNumbers} in the codec, issue 15).
     */
    private boolean runElements(Message.RunChunk chunk, Object function, List<Object> elements, int from, int to,
                                Object[] results, List<Message.Failure> failures) {
        for (int i = from; i < to; i++) {
            if (runningCancelled) {
                failures.add(Failures.cancelled(i));
                continue;
            }
            try {
                results[i] = call(function, chunk.shape(), elements.get(i));
            } catch (Throwable t) {
                // what a cancel's interrupt made the element throw (its sleep or wait woken) is cancelled, not failed
                boolean stopped = Failures.isStop(t) || isCancelled(chunk.task());
                failures.add(stopped ? Failures.cancelled(i) : Failures.of(i, t));
                if (stopped) {
                    for (int j = i + 1; j < elements.size(); j++) {
                        failures.add(Failures.cancelled(j));
                    }
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The chunk's function: decoded if the chunk carries it, else the one cached under its id. A function
     * that could not be decoded fails every chunk that refers to it with the same reason.
     */
    private Object functionOf(Message.RunChunk chunk) {
        if (chunk.function() == null) {
            Object function = functions.get(chunk.functionId());
            if (function == null) {
                throw new IllegalStateException("the kernel referred to function " + chunk.functionId()
                        + ", which this worker does not have");
            }
            if (function instanceof UndecodableFunction) {
                throw ((UndecodableFunction) function).failure();
            }
            return function;
        }
        Object function;
        try {
            function = codec.decode(chunk.function());
        } catch (CodecException e) {
            UndecodableFunction undecodable = new UndecodableFunction(e);
            functions.put(chunk.functionId(), undecodable);
            throw undecodable.failure();
        }
        functions.put(chunk.functionId(), function);
        return function;
    }

    /** Kept in place of a function that could not be decoded: why, for each chunk that refers to it. */
    private record UndecodableFunction(CodecException cause) {
        IllegalStateException failure() {
            return new IllegalStateException("the worker could not decode the function: " + cause.getMessage(), cause);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object call(Object function, Message.CallShape shape, Object element) throws Exception {
        switch (shape) {
            case ONE_ARGUMENT:
                return ((SerialFunction) function).apply(element);
            case TWO_ARGUMENTS:
                Map.Entry<?, ?> pair = (Map.Entry<?, ?>) element;
                return ((SerialBiFunction) function).apply(pair.getKey(), pair.getValue());
            default:
                if (function instanceof SerialRunnable runnable) {
                    runnable.run();
                    return null;
                }
                return ((SerialCallable<?>) function).call();
        }
    }

    private Outcome runSnippets(Message.RunSnippets snippets) {
        Object value = null;
        try {
            for (String className : snippets.classes()) {
                Method doIt = Class.forName(className, true, code.classLoader()).getDeclaredMethod("do_it$");
                doIt.setAccessible(true);
                value = doIt.invoke(null);
            }
        } catch (Throwable t) {
            return new Outcome(Arrays.asList((Object) null),
                    List.of(isCancelled(snippets.task()) ? Failures.cancelled(0) : Failures.of(0, t)));
        }
        return new Outcome(Arrays.asList(snippets.keepValue() ? value : null), List.of());
    }
}
