package org.jparallel.kernel.magic;

import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.magic.MagicArgsParseException;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.magic.UndefinedMagicException;
import org.jparallel.kernel.eval.CompilationException;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/**
 * The calls that magic syntax turns into. {@code %name args} and {@code %%name args} in a cell become
 * calls to these methods, so magics run in the cell like any other code and can return values.
 */
public final class MagicCalls {

    private MagicCalls() {
    }

    /**
     * Runs line magic {@code %name args} and returns what it returns. If the magic compiles its
     * arguments as code and that fails, the error is one line that names the magic: where the magic
     * stands in the cell is not known here, so no cell line could be given.
     */
    public static Object line(String name, List<String> args) {
        BaseKernel kernel = BaseKernel.notebookKernel();
        MagicsRegistry registry = kernel.getMagicsRegistry();
        try {
            return run("%", name, registry.getLineMagicNames(), () -> registry.evalLineMagic(kernel, name, args));
        } catch (CompilationException e) {
            CompilationException.Problem p = e.problems().get(0);
            throw new MagicException("%" + name + ": " + p.sourceLine().strip() + " does not compile: " + p.message(), e);
        }
    }

    /**
     * Runs cell magic {@code %%name args} on the rest of the cell and returns what it returns. If the
     * magic compiles its body and that fails, the problems are placed on the cell's lines: the body
     * starts on the cell's second line.
     */
    public static Object cell(String name, List<String> args, String body) {
        BaseKernel kernel = BaseKernel.notebookKernel();
        MagicsRegistry registry = kernel.getMagicsRegistry();
        try {
            return run("%%", name, registry.getCellMagicNames(), () -> registry.evalCellMagic(kernel, name, args, body));
        } catch (CompilationException e) {
            throw e.movedDown(1);
        }
    }

    private static Object run(String prefix, String name, Set<String> known, Callable<Object> magic) {
        try {
            return magic.call();
        } catch (UndefinedMagicException e) {
            throw unknown(prefix, name, known);
        } catch (RuntimeException e) {
            throw asMagicError(prefix + name, e);
        } catch (Exception e) {
            throw new MagicException(prefix + name + ": " + e.getMessage(), e);
        }
    }

    private static RuntimeException asMagicError(String magic, RuntimeException e) {
        if (e instanceof MagicArgsParseException) {
            return new MagicException(magic + ": " + e.getMessage(), e);
        }
        return e;
    }

    private static MagicException unknown(String prefix, String name, Set<String> known) {
        return new MagicException("unknown magic " + prefix + name + "; available: "
                + (known.isEmpty() ? "none" : prefix + String.join(", " + prefix, new TreeSet<>(known)))
                + " (%lsmagic lists them all)");
    }
}
