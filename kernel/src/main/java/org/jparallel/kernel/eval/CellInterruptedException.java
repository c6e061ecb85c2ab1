package org.jparallel.kernel.eval;

/** The user interrupted a running cell; the kernel stays usable. */
public final class CellInterruptedException extends RuntimeException {

    public CellInterruptedException() {
        super("the cell was stopped before it finished", null, false, false);
    }
}
