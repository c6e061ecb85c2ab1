package org.jparallel.kernel.eval;

import org.jparallel.internal.code.SnippetLoader;
import org.jparallel.internal.code.CellStop;
import org.jparallel.internal.code.CellStoppedError;
import org.jparallel.internal.code.VariableReads;
import org.jparallel.internal.code.VariableRef;
import jdk.jshell.execution.DirectExecutionControl;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * JShell's execution engine for the kernel: runs snippets in the kernel JVM and hands back the real
 * objects they produce, not JShell's display strings.
 *
 * <p>Each snippet runs on a fresh thread in a thread group of its own, so that {@link #stop()} reaches
 * the snippet and every thread it started: the stop flag ends instrumented loops and an interrupt
 * wakes threads blocked in the JDK. The thread that asked JShell to evaluate is never interrupted, so
 * the kernel's sockets are never touched by an interrupt.
 */
public final class NotebookExecutionControl extends DirectExecutionControl {

    private static final String RESULT_KEY_PREFIX = "jparallel-result-";

    private final SnippetLoader loader;
    private final Map<String, Object> results = new ConcurrentHashMap<>();
    private final AtomicLong nextKey = new AtomicLong();
    private final AtomicLong nextThread = new AtomicLong();
    private final Set<ThreadGroup> running = ConcurrentHashMap.newKeySet();
    private volatile boolean stoppedSinceReset;
    private final ThreadLocal<List<String>> captured = new ThreadLocal<>();
    /** What the last snippet run from this thread threw, as thrown: JShell passes on only its class, message and stack. */
    private final ThreadLocal<Throwable> thrown = new ThreadLocal<>();

    /**
     * Snippet classes compiled to run elsewhere (captured, not run): the variables they declare have no value
     * here, so notebook code that reads them is refused before it runs.
     */
    private final Set<String> compiledElsewhere = ConcurrentHashMap.newKeySet();
    private final VariableReads reads;

    NotebookExecutionControl(SnippetLoader loader) {
        super(loader);
        this.loader = loader;
        this.reads = new VariableReads(loader::compiledClassBytes);
    }

    /** The loader holding the snippet classes. */
    public SnippetLoader loader() {
        return loader;
    }

    /**
     * While {@code into} is set, snippets evaluated on this thread are not run: the names of the classes
     * whose {@code do_it$} would have run are added to {@code into} instead (null ends capturing). The variables
     * those classes declare stay without a value here: snippets run later that read them (in their own code or in
     * the notebook methods they call) are refused with an {@link ElsewhereVariablesException}.
     */
    void captureInvocations(List<String> into) {
        if (into == null) {
            captured.remove();
        } else {
            captured.set(into);
        }
    }

    @Override
    protected String invoke(Method doit) throws Exception {
        thrown.remove();
        List<String> capture = captured.get();
        if (capture != null) {
            capture.add(doit.getDeclaringClass().getName());
            compiledElsewhere.add(doit.getDeclaringClass().getName());
            return RESULT_KEY_PREFIX + nextKey.incrementAndGet();
        }
        List<String> elsewhere = compiledElsewhere.isEmpty() ? List.of()
                : reads.readInPlace(doit.getDeclaringClass().getName(), doit.getName()).stream()
                .filter(read -> compiledElsewhere.contains(read.className())).map(VariableRef::fieldName).toList();
        if (!elsewhere.isEmpty()) {
            ElsewhereVariablesException refused = new ElsewhereVariablesException(elsewhere);
            thrown.set(refused);
            throw new InvocationTargetException(refused); // as if do_it$ threw it: JShell reports the snippet's exception
        }
        Object value;
        try {
            value = runInCell(() -> doit.invoke(null));
        } catch (InvocationTargetException e) {
            thrown.set(e.getCause());
            throw e;
        }
        String key = RESULT_KEY_PREFIX + nextKey.incrementAndGet();
        if (value != null) {
            results.put(key, value);
        }
        return key;
    }

    /**
     * Runs {@code body} as a snippet runs: on a thread of its own, in a thread group that {@link #stop()}
     * interrupts, and returns its value. A stop, however it shows, ends in a {@link StoppedException}.
     */
    Object runInCell(Callable<?> body) throws Exception {
        if (CellStop.isRequested()) {
            stoppedSinceReset = true;
            throw new StoppedException();
        }
        ThreadGroup group = new ThreadGroup("jparallel-cell");
        Object[] value = new Object[1];
        Throwable[] failure = new Throwable[1];
        Thread thread = new Thread(group, () -> {
            try {
                value[0] = body.call();
            } catch (Throwable t) {
                failure[0] = t;
            }
        }, "jparallel-cell-" + nextThread.incrementAndGet());
        thread.setContextClassLoader(loader.classLoader());
        running.add(group);
        try {
            thread.start();
            thread.join();
        } finally {
            running.remove(group);
        }
        Throwable t = failure[0];
        Throwable cause = t instanceof InvocationTargetException ? t.getCause() : t;
        if (cause instanceof CellStoppedError || CellStop.isRequested()) {
            stoppedSinceReset = true;
            throw new StoppedException();
        }
        if (t instanceof Exception) {
            throw (Exception) t;
        }
        if (t != null) {
            throw new InvocationTargetException(t);
        }
        return value[0];
    }

    /** Removes and returns what the last snippet run from this thread threw, or null if it threw nothing. */
    public Throwable takeThrown() {
        Throwable t = thrown.get();
        thrown.remove();
        return t;
    }

    /** Removes and returns the object a snippet produced, given the value string JShell reported. */
    public Object takeResult(String key) {
        return key == null ? null : results.remove(key);
    }

    /** Forgets every result not taken, so that no cell keeps another cell's objects alive. */
    public void clearResults() {
        results.clear();
    }

    /** Whether a snippet was stopped since the last call; resets the answer. */
    public boolean takeStopped() {
        boolean stopped = stoppedSinceReset;
        stoppedSinceReset = false;
        return stopped;
    }

    /** Stops the running snippet and the threads it started; returns at once. */
    @Override
    public void stop() {
        CellStop.request();
        running.forEach(ThreadGroup::interrupt);
    }
}
