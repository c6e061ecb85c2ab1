package org.jparallel.api;

import java.io.Serializable;
import java.util.function.Function;

/**
 * A function that can be sent to a worker: a lambda or method reference of this type is serializable,
 * so the pool ships it, together with what it captures, instead of failing as pickle does in Python.
 *
 * @param <T> the argument type
 * @param <R> the result type
 */
@FunctionalInterface
public interface SerialFunction<T, R> extends Function<T, R>, Serializable {
}
