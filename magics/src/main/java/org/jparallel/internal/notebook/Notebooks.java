package org.jparallel.internal.notebook;

import org.jparallel.internal.pool.CodeSource;
import org.jparallel.kernel.JavaKernel;

/** Finds the notebook a pool serves: the running kernel's code, or plain Java outside a kernel. */
public final class Notebooks {

    private static NotebookCode code;
    private static JavaKernel codeKernel;

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

    /** The code source for pools started now: the current kernel's notebook, or {@link CodeSource#PLAIN}. */
    public static synchronized CodeSource codeSource() {
        JavaKernel kernel = JavaKernel.currentOrNull();
        if (kernel == null) {
            return CodeSource.PLAIN;
        }
        if (codeKernel != kernel) {
            code = new NotebookCode(kernel.evaluator());
            codeKernel = kernel;
        }
        return code;
    }
}
