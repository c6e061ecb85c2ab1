package org.jparallel.internal.notebook;

import org.jparallel.internal.pool.CodeSource;
import org.jparallel.kernel.JavaKernel;
import org.jparallel.kernel.eval.SnippetLoader;

/**
 * Finds the notebook a pool serves: the running kernel's code; on a worker, the notebook code the worker
 * received (so a task may start a pool or a process of its own); else plain Java.
 */
public final class Notebooks {

    private static NotebookCode code;
    private static JavaKernel codeKernel;
    private static NotebookCode workerCode;

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
     * Called once by a worker JVM: the code it loads from the kernel is the notebook of the pools and
     * processes its tasks start.
     */
    public static synchronized void workerReceives(SnippetLoader loader) {
        workerCode = new NotebookCode(loader, StackTraceElement::toString);
    }

    /**
     * The code source for pools started now: the current kernel's notebook, the code a worker received, or
     * {@link CodeSource#PLAIN}.
     */
    public static synchronized CodeSource codeSource() {
        JavaKernel kernel = JavaKernel.currentOrNull();
        if (kernel == null) {
            return workerCode != null ? workerCode : CodeSource.PLAIN;
        }
        if (codeKernel != kernel) {
            code = new NotebookCode(kernel.evaluator());
            codeKernel = kernel;
        }
        return code;
    }
}
