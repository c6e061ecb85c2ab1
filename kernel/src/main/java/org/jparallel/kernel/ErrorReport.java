package org.jparallel.kernel;

import org.jparallel.kernel.eval.CellInterruptedException;
import org.jparallel.kernel.eval.CompilationException;
import org.jparallel.kernel.eval.IncompleteCellException;
import org.jparallel.kernel.eval.UserCodeException;
import org.jparallel.kernel.magic.MagicException;

import java.util.ArrayList;
import java.util.List;

/**
 * How a failed cell is shown: Jupyter's {@code ename}, {@code evalue} and traceback lines. Compile
 * errors point at the cell line and column with a caret; exceptions show the user's frames only;
 * magic errors and interrupts are one clear line.
 */
record ErrorReport(String name, String value, List<String> traceback) {

    private static final String RED = "\u001b[0;31m";
    private static final String BOLD_RED = "\u001b[1;31m";
    private static final String RESET = "\u001b[0m";
    private static final String MAGIC_EXCEPTION = MagicException.class.getName();

    static ErrorReport of(Throwable e, String cell) {
        if (e instanceof CompilationException) {
            return compilation((CompilationException) e, cell);
        }
        if (e instanceof UserCodeException) {
            UserCodeException u = (UserCodeException) e;
            UserCodeException magic = findMagicError(u);
            return magic != null ? oneLine(errorName(magic.exceptionClass()), magic.getMessage()) : exception(u);
        }
        if (e instanceof CellInterruptedException) {
            return oneLine("Interrupted", e.getMessage());
        }
        if (e instanceof IncompleteCellException) {
            return oneLine("IncompleteCell", e.getMessage());
        }
        if (e instanceof MagicException) {
            return oneLine(errorName((MagicException) e), e.getMessage());
        }
        return oneLine(e.getClass().getName(), String.valueOf(e.getMessage()));
    }

    /**
     * A magic's error reaches the kernel as the user exception of the cell that called it, known by its
     * class name: the magic ran in the cell.
     */
    private static UserCodeException findMagicError(UserCodeException u) {
        for (UserCodeException c = u; c != null; c = c.userCause()) {
            if (isMagicError(c.exceptionClass())) {
                return c;
            }
        }
        return null;
    }

    private static boolean isMagicError(String className) {
        if (className.equals(MAGIC_EXCEPTION)) {
            return true;
        }
        try {
            return MagicException.class.isAssignableFrom(Class.forName(className, false, ErrorReport.class.getClassLoader()));
        } catch (ClassNotFoundException e) {
            return false; // a class of the notebook's own
        }
    }

    /** {@code MagicError} for a magic's usage error; an error of its own type by its simple name. */
    private static String errorName(MagicException e) {
        return errorName(e.getClass().getName());
    }

    private static String errorName(String className) {
        return className.equals(MAGIC_EXCEPTION) ? "MagicError" : className.substring(className.lastIndexOf('.') + 1);
    }

    private static ErrorReport oneLine(String name, String message) {
        return new ErrorReport(name, message, List.of(BOLD_RED + name + RESET + ": " + message));
    }

    private static ErrorReport compilation(CompilationException e, String cell) {
        List<String> lines = new ArrayList<>();
        lines.add(BOLD_RED + "CompilationError" + RESET + ": the cell did not compile");
        for (CompilationException.Problem p : e.problems()) {
            lines.add(RED + cell + " line " + p.line() + ", column " + p.column() + RESET + ": " + p.message());
            lines.add("    " + p.sourceLine());
            lines.add("    " + " ".repeat(Math.max(0, p.column() - 1)) + "^".repeat(Math.max(1, p.length())));
        }
        return new ErrorReport("CompilationError", e.problems().get(0).message(), lines);
    }

    private static ErrorReport exception(UserCodeException e) {
        List<String> lines = new ArrayList<>();
        String prefix = "";
        for (UserCodeException c = e; c != null; c = c.userCause()) {
            lines.add(prefix + BOLD_RED + c.exceptionClass() + RESET
                    + (c.getMessage() == null ? "" : ": " + c.getMessage()));
            for (String frame : c.frames()) {
                lines.add("    at " + frame);
            }
            prefix = "Caused by: ";
        }
        String value = e.getMessage() == null ? "" : e.getMessage();
        return new ErrorReport(e.exceptionClass(), value, lines);
    }
}
