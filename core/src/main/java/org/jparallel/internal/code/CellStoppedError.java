package org.jparallel.internal.code;

/**
 * Thrown inside snippet code when the user interrupts the cell. An {@link Error}, so that ordinary
 * {@code catch (Exception e)} blocks in user code do not swallow it.
 */
public final class CellStoppedError extends Error {

    CellStoppedError() {
        super("the cell was interrupted", null, false, false);
    }
}
