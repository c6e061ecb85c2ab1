package org.jparallel.internal.code;


import java.util.function.Supplier;

/**
 * Where the code of the pools, processes and managers started now comes from: a notebook, when a front end
 * that has one said so ({@link #useNotebook}: the Jupyter kernel's extension); else the snippet loader this
 * JVM {@linkplain #useCodeOf uses} (on a worker, the notebook code it received, so a task may start a pool or
 * a process of its own; in the JDK's {@code jshell}, the snippets typed at its prompt); else plain Java,
 * whose classes are on every worker's class path. The public API asks here; nothing here knows a kernel.
 */
public final class CodeSources {

    private static volatile Supplier<CodeSource> notebook = () -> null;
    private static volatile Supplier<Object> notebookCell = () -> null;
    private static volatile SnippetCode loaderCode;

    private CodeSources() {
    }

    /**
     * Called by a front end with notebooks: {@code code} gives the current notebook's code (null while there
     * is none), {@code cell} the cell that output printed now belongs to (null outside a cell).
     */
    public static void useNotebook(Supplier<CodeSource> code, Supplier<Object> cell) {
        notebook = code;
        notebookCell = cell;
    }

    /**
     * Called once by a JVM that runs snippet code without a notebook (a worker, the {@code jshell} engine):
     * the classes this loader holds are the code of the pools and processes started here.
     */
    public static void useCodeOf(SnippetLoader loader) {
        // this JVM's class path: a worker's is its kernel's, jshell's holds the jars given to it
        loaderCode = new SnippetCode(loader, StackTraceElement::toString, System.getProperty("java.class.path"));
    }

    /** The code source for what starts now: the notebook's, the loader's, or {@link CodeSource#PLAIN}. */
    public static CodeSource current() {
        CodeSource code = notebook.get();
        if (code != null) {
            return code;
        }
        SnippetCode loaded = loaderCode;
        return loaded != null ? loaded : CodeSource.PLAIN;
    }

    /**
     * The notebook cell that output printed now belongs to ({@code cell[4]}), or null outside one; output
     * printers label a writer again when this changes.
     */
    public static Object currentCell() {
        return notebookCell.get();
    }
}
