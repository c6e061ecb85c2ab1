package org.jparallel.internal.code;

import org.jparallel.api.SerialFunction;

/**
 * A cell's code as a function of one element that may throw checked exceptions, as any cell code may: the
 * body of a {@code %%parallel --map} cell, compiled in the notebook. Workers call it as a
 * {@link SerialFunction}: {@link #apply} throws what {@link #run} throws, as it is, and it becomes the
 * element's failure. In core because workers, which run on core alone, load it.
 *
 * @param <T> the element type
 * @param <R> the value type
 */
@FunctionalInterface
public interface CellFunction<T, R> extends SerialFunction<T, R> {

    /** The cell's code, run on one element. */
    R run(T x) throws Exception;

    @Override
    default R apply(T x) {
        try {
            return run(x);
        } catch (Exception e) {
            throw CellFunction.<RuntimeException>asUnchecked(e);
        }
    }

    /** Throws {@code e} itself, checked or not: the worker that calls {@link #apply} takes any exception. */
    @SuppressWarnings("unchecked")
    private static <E extends Exception> E asUnchecked(Exception e) throws E {
        throw (E) e;
    }
}
