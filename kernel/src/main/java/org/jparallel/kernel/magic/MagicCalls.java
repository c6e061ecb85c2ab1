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

    /** The text after the name of the line magic running on this thread, as written. */
    private static final ThreadLocal<String> LINE_SOURCE = new ThreadLocal<>();

    /**
     * Runs line magic {@code %name args} and returns what it returns. If the magic compiles its
     * arguments as code and that fails, the error is one line that names the magic: where the magic
     * stands in the cell is not known here, so no cell line could be given.
     *
     * @param args   the arguments, split as a shell splits words (quotes removed)
     * @param source the text after the magic's name, as written ({@link #lineSource()})
     */
    public static Object line(String name, List<String> args, String source) {
        BaseKernel kernel = BaseKernel.notebookKernel();
        MagicsRegistry registry = kernel.getMagicsRegistry();
        String outer = LINE_SOURCE.get();
        LINE_SOURCE.set(source);
        try {
            return run("%", name, registry.getLineMagicNames(), () -> registry.evalLineMagic(kernel, name, args));
        } catch (CompilationException e) {
            CompilationException.Problem p = e.problems().get(0);
            throw new MagicException("%" + name + ": " + p.sourceLine().strip() + " does not compile: " + p.message(), e);
        } finally {
            LINE_SOURCE.set(outer);
        }
    }

    /**
     * The text after the name of the line magic that is running, exactly as written: for magics that
     * take code ({@code %time f("a  b")}), whose split arguments have lost their quotes and spacing.
     *
     * @throws IllegalStateException outside a line magic
     */
    public static String lineSource() {
        String source = LINE_SOURCE.get();
        if (source == null) {
            throw new IllegalStateException("no line magic is running on this thread");
        }
        return source;
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
