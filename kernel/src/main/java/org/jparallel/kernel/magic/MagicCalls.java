package org.jparallel.kernel.magic;

import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.magic.MagicArgsParseException;
import org.dflib.jjava.jupyter.kernel.magic.UndefinedMagicException;

import java.util.List;
import java.util.TreeSet;

/**
 * The calls that magic syntax turns into. {@code %name args} and {@code %%name args} in a cell become
 * calls to these methods, so magics run in the cell like any other code and can return values.
 */
public final class MagicCalls {

    private MagicCalls() {
    }

    /** Runs line magic {@code %name args} and returns what it returns. */
    public static Object line(String name, List<String> args) {
        BaseKernel kernel = BaseKernel.notebookKernel();
        try {
            return kernel.getMagicsRegistry().evalLineMagic(kernel, name, args);
        } catch (UndefinedMagicException e) {
            throw unknown("%", name, kernel.getMagicsRegistry().getLineMagicNames());
        } catch (RuntimeException e) {
            throw asMagicError("%" + name, e);
        } catch (Exception e) {
            throw new MagicException("%" + name + ": " + e.getMessage(), e);
        }
    }

    /** Runs cell magic {@code %%name args} on the rest of the cell and returns what it returns. */
    public static Object cell(String name, List<String> args, String body) {
        BaseKernel kernel = BaseKernel.notebookKernel();
        try {
            return kernel.getMagicsRegistry().evalCellMagic(kernel, name, args, body);
        } catch (UndefinedMagicException e) {
            throw unknown("%%", name, kernel.getMagicsRegistry().getCellMagicNames());
        } catch (RuntimeException e) {
            throw asMagicError("%%" + name, e);
        } catch (Exception e) {
            throw new MagicException("%%" + name + ": " + e.getMessage(), e);
        }
    }

    private static RuntimeException asMagicError(String magic, RuntimeException e) {
        if (e instanceof MagicArgsParseException) {
            return new MagicException(magic + ": " + e.getMessage(), e);
        }
        return e;
    }

    private static MagicException unknown(String prefix, String name, java.util.Set<String> known) {
        return new MagicException("unknown magic " + prefix + name + "; available: "
                + (known.isEmpty() ? "none" : prefix + String.join(", " + prefix, new TreeSet<>(known)))
                + " (%lsmagic lists them all)");
    }
}
