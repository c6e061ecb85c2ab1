package org.jparallel.kernel.eval;

/** A cell ended in the middle of a statement or declaration, such as an unclosed brace. */
public final class IncompleteCellException extends RuntimeException {

    public IncompleteCellException(String rest) {
        super("the cell ends before this code is complete (a missing '}' or ';'?):\n" + rest.strip(),
                null, false, false);
    }
}
