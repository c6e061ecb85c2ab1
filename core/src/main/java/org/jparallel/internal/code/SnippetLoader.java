package org.jparallel.internal.code;

import jdk.jshell.execution.LoaderDelegate;
import jdk.jshell.spi.ExecutionControl.ClassBytecodes;
import jdk.jshell.spi.ExecutionControl.ClassInstallException;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loads the classes JShell compiles for each snippet into the kernel JVM, and keeps their bytes.
 *
 * <p>Every class is kept exactly as compiled (so it can be shipped to worker JVMs, which load it under
 * the same name) and defined from an instrumented copy (see {@link StopCheckWeaver}). Classpath
 * additions made with {@code %classpath} or {@code %jars} are recorded in order for the same reason.
 * Thread-safe.
 */
public final class SnippetLoader implements LoaderDelegate {

    private final Map<String, byte[]> compiled = new LinkedHashMap<>();
    private final List<String> loadOrder = new ArrayList<>();
    private final List<Path> classpath = new ArrayList<>();
    private final Loader loader;

    /** A loader whose parent is the given class loader (normally the kernel's own). */
    public SnippetLoader(ClassLoader parent) {
        this.loader = new Loader(parent);
    }

    /** The class loader that snippet classes live in. */
    public ClassLoader classLoader() {
        return loader;
    }

    /** The bytes of every snippet class loaded so far, as compiled, in load order. */
    public synchronized Map<String, byte[]> compiledClasses() {
        return new LinkedHashMap<>(compiled);
    }

    /** The bytes of one snippet class as compiled, or null if there is no such snippet class. */
    public synchronized byte[] compiledClassBytes(String name) {
        return compiled.get(name);
    }

    /** How many snippet classes were loaded so far. */
    public synchronized int compiledClassCount() {
        return loadOrder.size();
    }

    /** The classes loaded after the first {@code count}, as compiled, in load order. */
    public synchronized Map<String, byte[]> compiledClassesAfter(int count) {
        Map<String, byte[]> after = new LinkedHashMap<>();
        for (String name : loadOrder.subList(Math.min(count, loadOrder.size()), loadOrder.size())) {
            after.put(name, compiled.get(name));
        }
        return after;
    }

    /** Every path added to the classpath so far, in order. */
    public synchronized List<Path> classpath() {
        return List.copyOf(classpath);
    }

    @Override
    public void load(ClassBytecodes[] cbcs) throws ClassInstallException {
        synchronized (this) {
            for (ClassBytecodes cbc : cbcs) {
                if (compiled.put(cbc.name(), cbc.bytecodes()) == null) {
                    loadOrder.add(cbc.name());
                }
                loader.declare(cbc.name(), StopCheckWeaver.weave(cbc.bytecodes()));
            }
        }
        boolean[] installed = new boolean[cbcs.length];
        for (int i = 0; i < cbcs.length; i++) {
            try {
                loader.loadClass(cbcs[i].name());
                installed[i] = true;
            } catch (ClassNotFoundException | LinkageError e) {
                throw new ClassInstallException("could not load " + cbcs[i].name() + ": " + e, installed);
            }
        }
    }

    @Override
    public void classesRedefined(ClassBytecodes[] cbcs) {
        // DirectExecutionControl refuses redefine(), so JShell loads changed snippets under new names
        throw new IllegalStateException("snippet classes are never redefined in place");
    }

    @Override
    public void addToClasspath(String path) {
        for (String entry : path.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path p = Path.of(entry).toAbsolutePath().normalize();
            synchronized (this) {
                if (classpath.contains(p)) {
                    continue;
                }
                classpath.add(p);
            }
            loader.addPath(p);
        }
    }

    @Override
    public Class<?> findClass(String name) throws ClassNotFoundException {
        return loader.loadClass(name);
    }

    /** Defines declared snippet classes on first use; everything else goes to the classpath. */
    private static final class Loader extends URLClassLoader {
        static {
            registerAsParallelCapable();
        }

        private final Map<String, byte[]> declared = new ConcurrentHashMap<>();

        Loader(ClassLoader parent) {
            super("jparallel-snippets", new URL[0], parent);
        }

        void declare(String name, byte[] bytes) {
            declared.put(name, bytes);
        }

        void addPath(Path path) {
            try {
                addURL(path.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("not a usable classpath entry: " + path, e);
            }
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] bytes = declared.remove(name);
            if (bytes == null) {
                return super.findClass(name);
            }
            return defineClass(name, bytes, 0, bytes.length);
        }
    }
}
