package org.jparallel.internal.code;

import jdk.jshell.execution.LoaderDelegate;
import jdk.jshell.spi.ExecutionControl.ClassBytecodes;
import jdk.jshell.spi.ExecutionControl.ClassInstallException;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loads the classes JShell compiles for each snippet into the kernel JVM, and keeps their bytes.
 *
 * <p>Every class is kept exactly as compiled (so it can be shipped to worker JVMs, which load it under
 * the same name) and defined from an instrumented copy (see {@link StopCheckWeaver}). Classes are known by
 * content: the same bytes loaded again are nothing new, and other bytes under a loaded name are refused, since
 * no JVM can replace a class and running the old one would run stale code. (JShell gives a changed snippet a
 * new class name, so its new bytes are a new class, which workers are sent.)
 *
 * <p>Classpath additions made with {@code %classpath} or {@code %jars} go through this host's {@link JarCache}:
 * each is identified by its content's SHA-256 and loaded from its cached copy, so the kernel runs the bytes
 * workers receive even if the original file changes or goes. They are recorded in order for the workers.
 * Thread-safe.
 */
public final class SnippetLoader implements LoaderDelegate {

    private final Map<String, byte[]> compiled = new LinkedHashMap<>();
    private final List<String> loadOrder = new ArrayList<>();
    private final List<ClasspathJar> jars = new ArrayList<>();
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

    /** Every jar added to the classpath so far, in order. */
    public synchronized List<ClasspathJar> jars() {
        return List.copyOf(jars);
    }

    /** The classpath jar with this SHA-256, or null. */
    public synchronized ClasspathJar jar(String sha256) {
        for (ClasspathJar jar : jars) {
            if (jar.sha256().equals(sha256)) {
                return jar;
            }
        }
        return null;
    }

    @Override
    public void load(ClassBytecodes[] cbcs) throws ClassInstallException {
        synchronized (this) {
            for (int i = 0; i < cbcs.length; i++) {
                String name = cbcs[i].name();
                byte[] before = compiled.get(name);
                if (before != null && Arrays.equals(before, cbcs[i].bytecodes())) {
                    continue;
                }
                if (before != null) {
                    // the JVM cannot replace a class (JShell gives a changed snippet a new name): the old one would run
                    throw new ClassInstallException("snippet class " + name + " was loaded here from other bytes and "
                            + "cannot be replaced; restart the kernel or the pool", new boolean[cbcs.length]);
                }
                compiled.put(name, cbcs[i].bytecodes());
                loadOrder.add(name);
                loader.declare(name, StopCheckWeaver.weave(cbcs[i].bytecodes()));
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

    /**
     * Adds jars or directories (separated by {@link File#pathSeparator}), each copied into this host's
     * {@link JarCache} (a directory packed) and loaded from there; one whose content is already on the
     * classpath is skipped.
     *
     * @throws UncheckedIOException naming the entry, if it does not exist or cannot be cached
     */
    @Override
    public void addToClasspath(String path) {
        add(path);
    }

    /** {@link #addToClasspath}, returning the entries as cached, in order. */
    public List<ClasspathJar> add(String path) {
        List<ClasspathJar> added = new ArrayList<>();
        for (String entry : path.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            ClasspathJar jar;
            try {
                jar = JarCache.forUser().add(Path.of(entry));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot add " + entry + " to the classpath: " + e, e);
            }
            addJar(jar);
            added.add(jar);
        }
        return added;
    }

    /** Adds a jar that is in this host's cache already (a worker's, received from its kernel). */
    public void addJar(ClasspathJar jar) {
        synchronized (this) {
            if (jar(jar.sha256()) != null) {
                return;
            }
            jars.add(jar);
        }
        loader.addPath(jar.file());
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
