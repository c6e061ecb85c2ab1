package org.jparallel.jshell;

import jdk.jshell.execution.DirectExecutionControl;
import org.jparallel.internal.code.CellStop;
import org.jparallel.internal.code.CellStoppedError;
import org.jparallel.internal.code.SnippetLoader;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The execution engine of {@code jshell --execution jparallel}: runs snippets in the jshell tool's own JVM, as
 * JShell's {@code local} engine does, but loads them with a {@link SnippetLoader}, which keeps every snippet class
 * as compiled; so a pool or process started at the prompt ships the methods, records and lambdas typed there to
 * its workers.
 *
 * <p>Each snippet runs on a thread of its own, in a thread group of its own, with the snippet loader as its context
 * class loader. {@link #stop()} (Ctrl-C at the prompt) raises {@link CellStop}, which the loader's instrumented code
 * polls, and interrupts the threads of the running snippet's group. Used by JShell from one thread at a time;
 * {@code stop()} from any thread.
 */
public final class JShellEngine extends DirectExecutionControl {

    private final SnippetLoader loader;
    private final Set<Path> jvmClasspath;
    private final AtomicLong nextThread = new AtomicLong();
    private volatile ThreadGroup running;

    JShellEngine(SnippetLoader loader) {
        super(loader);
        this.loader = loader;
        this.jvmClasspath = entries(System.getProperty("java.class.path", ""));
    }

    private static Set<Path> entries(String classpath) {
        return Arrays.stream(classpath.split(File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .map(entry -> Path.of(entry).toAbsolutePath().normalize())
                .collect(Collectors.toSet());
    }

    /**
     * Adds the entries that this JVM does not run on already. The launcher puts jparallel's jars on both the
     * tool's and the snippets' class path; as the tool's JVM and every worker start with them, loading them
     * again in the snippet loader (and sending them to each worker) would only open every jar twice.
     */
    @Override
    public void addToClasspath(String classpath) throws EngineTerminationException, InternalException {
        String added = Arrays.stream(classpath.split(File.pathSeparator))
                .filter(entry -> !entry.isBlank() && !jvmClasspath.contains(Path.of(entry).toAbsolutePath().normalize()))
                .collect(Collectors.joining(File.pathSeparator));
        if (!added.isEmpty()) {
            super.addToClasspath(added);
        }
    }

    @Override
    protected String invoke(Method doit) throws Exception {
        CellStop.clear();
        ThreadGroup group = new ThreadGroup("jparallel-jshell");
        Object[] value = new Object[1];
        Throwable[] failure = new Throwable[1];
        Thread thread = new Thread(group, () -> {
            try {
                value[0] = doit.invoke(null);
            } catch (Throwable t) {
                failure[0] = t;
            }
        }, "jparallel-jshell-" + nextThread.incrementAndGet());
        thread.setContextClassLoader(loader.classLoader());
        running = group;
        try {
            thread.start();
            thread.join();
        } finally {
            running = null;
        }
        Throwable t = failure[0];
        Throwable cause = t instanceof InvocationTargetException ? t.getCause() : t;
        if (cause instanceof CellStoppedError) {
            throw new StoppedException();
        }
        if (t instanceof Exception) {
            throw (Exception) t;
        }
        if (t != null) {
            throw new InvocationTargetException(t);
        }
        return valueString(value[0]);
    }

    /** Stops the running snippet and the threads it started, if a snippet runs; returns at once. */
    @Override
    public void stop() {
        ThreadGroup group = running;
        if (group != null) {
            CellStop.request();
            group.interrupt();
        }
    }
}
