package org.jparallel.internal.notebook;

import org.jparallel.internal.code.CodeSources;
import org.jparallel.internal.code.SnippetCode;
import org.jparallel.internal.launch.CoreClasspath;
import org.jparallel.kernel.JavaKernel;

/**
 * The running kernel's notebook as the code of the pools, processes and managers started from it: its
 * snippet classes, classpath and variables, its frames placed on cell lines. {@link #install} hands it to
 * {@link CodeSources} once, when the kernel loads the extension.
 */
public final class Notebooks {

    private static SnippetCode code;
    private static JavaKernel codeKernel;

    private Notebooks() {
    }

    /** Makes the current kernel's notebook the code source of whatever starts from now on. */
    public static void install() {
        CodeSources.useNotebook(Notebooks::codeSource, Notebooks::currentCell);
    }

    /** The notebook cell that output printed now belongs to ({@code cell[4]}), or null outside a kernel. */
    private static Object currentCell() {
        JavaKernel kernel = JavaKernel.currentOrNull();
        return kernel == null ? null : kernel.currentCell();
    }

    /** The current kernel's notebook, or null outside a kernel. */
    public static synchronized SnippetCode codeSource() {
        JavaKernel kernel = JavaKernel.currentOrNull();
        if (kernel == null) {
            return null;
        }
        if (codeKernel != kernel) {
            // workers need jparallel-core alone: the notebook's classes and jars are shipped to them
            code = new SnippetCode(kernel.evaluator().loader(), kernel.evaluator()::placeSnippetFrame, CoreClasspath.get());
            codeKernel = kernel;
        }
        return code;
    }
}
