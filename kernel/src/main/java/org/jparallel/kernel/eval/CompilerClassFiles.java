package org.jparallel.kernel.eval;

import jdk.jshell.JShell;
import jdk.jshell.SourceCodeAnalysis;

import java.lang.reflect.Field;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The class files JShell's compiler keeps for the snippets it compiled, cut down to those a later snippet can
 * refer to: the classes of active declarations (variables, methods, types).
 *
 * <p>JShell keeps the class of every snippet it ever compiled in its in-memory file manager, and every javac task
 * (five for {@code 1+1}) lists them all into the package {@code REPL} and purges them again: a cost that grows with
 * the notebook. With them kept, {@code 1+1} took 13.8 to 14.0 ms of CPU after 1000 cells, with only the active
 * declarations' kept 4.0 to 5.5 ms (JDK 17, the kernel's flags). Statements, expressions and dropped or replaced
 * snippets are never referred to again; their classes run from the snippet loader, which keeps its own bytes.
 *
 * <p>The file manager is JShell's own ({@code jdk.jshell.MemoryFileManager}), reached by reflection; that takes
 * {@code --add-opens jdk.jshell/jdk.jshell=ALL-UNNAMED}, which the kernel's launcher passes. Without it, or on a JDK
 * whose JShell is built otherwise, nothing is cut and snippets compile as JShell compiles them.
 */
final class CompilerClassFiles {

    /** A snippet class's binary name starts so: {@code REPL.$JShell$14}, {@code REPL.$JShell$14B$Inner}. */
    private static final String SNIPPET_CLASS_PREFIX = "REPL.$JShell$";

    private final JShell shell;
    private final SourceCodeAnalysis analysis;
    /** JShell's map of class name to class file, or null when it cannot be reached. */
    private final Map<String, ?> classFiles;

    CompilerClassFiles(JShell shell, SourceCodeAnalysis analysis) {
        this.shell = shell;
        this.analysis = analysis;
        this.classFiles = classFilesOf(shell);
    }

    /** Forgets the class files no later snippet can refer to; call between evaluations, on the evaluating thread. */
    void forgetUnreferable() {
        if (classFiles == null || classFiles.isEmpty()) {
            return;
        }
        Set<String> kept = Stream.of(shell.variables(), shell.methods(), shell.types())
                .flatMap(declarations -> declarations)
                .map(declaration -> analysis.wrapper(declaration).fullClassName())
                .collect(Collectors.toSet());
        classFiles.keySet().removeIf(name -> !kept.contains(outerClass(name)));
    }

    /** True when JShell's class files could be reached, so that {@link #forgetUnreferable()} does something. */
    boolean active() {
        return classFiles != null;
    }

    private static String outerClass(String name) {
        if (!name.startsWith(SNIPPET_CLASS_PREFIX)) {
            return name;
        }
        int nested = name.indexOf('$', SNIPPET_CLASS_PREFIX.length());
        return nested < 0 ? name : name.substring(0, nested);
    }

    private static Map<String, ?> classFilesOf(JShell shell) {
        try {
            Object taskFactory = read(JShell.class, "taskFactory", shell);
            Object fileManager = read(taskFactory.getClass(), "fileManager", taskFactory);
            Object files = read(fileManager.getClass(), "classObjects", fileManager);
            @SuppressWarnings("unchecked")
            Map<String, ?> map = files instanceof Map ? (Map<String, ?>) files : null;
            return map;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // not opened to us (InaccessibleObjectException), or another JShell
        }
    }

    private static Object read(Class<?> type, String field, Object owner) throws ReflectiveOperationException {
        Field f = type.getDeclaredField(field);
        f.setAccessible(true);
        return f.get(owner);
    }

    /** For tests: the snippet classes the compiler sees now. */
    Set<String> snippetClasses() {
        return classFiles == null ? Set.of() : classFiles.keySet().stream()
                .filter(name -> name.startsWith(SNIPPET_CLASS_PREFIX)).collect(Collectors.toSet());
    }
}
