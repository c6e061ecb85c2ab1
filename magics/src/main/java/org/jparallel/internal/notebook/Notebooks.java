package org.jparallel.internal.notebook;

import org.jparallel.internal.pool.CodeSource;
import org.jparallel.kernel.JavaKernel;
import org.jparallel.kernel.eval.SnippetLoader;

/**
 * Finds the notebook a pool serves: the running kernel's code; else the code of the snippet loader this JVM
 * {@linkplain #useCodeOf uses} (on a worker, the notebook code it received, so a task may start a pool or a
 * process of its own; in the JDK's {@code jshell}, the snippets typed at its prompt); else plain Java.
 */
public final class Notebooks {

    private static NotebookCode code;
    private static JavaKernel codeKernel;
    private static NotebookCode loaderCode;

    private Notebooks() {
    }

    /**
     * The notebook cell that output printed now belongs to ({@code cell[4]}), or null outside a kernel;
     * output printers label a writer again when this changes.
     */
    public static Object currentCell() {
        JavaKernel kernel = JavaKernel.currentOrNull();
        return kernel == null ? null : kernel.currentCell();
    }

    /**
     * Called once by a JVM that runs snippet code without a kernel (a worker, the {@code jshell} engine): the
     * classes this loader holds are the notebook of the pools and processes started here.
     */
    public static synchronized void useCodeOf(SnippetLoader loader) {
        loaderCode = new NotebookCode(loader, StackTraceElement::toString);
    }

    /**
     * The code source for pools started now: the current kernel's notebook, the code of the loader given to
     * {@link #useCodeOf}, or {@link CodeSource#PLAIN}.
     */
    public static synchronized CodeSource codeSource() {
        JavaKernel kernel = JavaKernel.currentOrNull();
        if (kernel == null) {
            return loaderCode != null ? loaderCode : CodeSource.PLAIN;
        }
        if (codeKernel != kernel) {
            code = new NotebookCode(kernel.evaluator());
            codeKernel = kernel;
        }
        return code;
    }
}
