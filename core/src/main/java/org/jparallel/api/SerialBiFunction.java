package org.jparallel.api;

import java.io.Serializable;
import java.util.function.BiFunction;

/**
 * A two-argument function that can be sent to a worker, for {@link WorkerPool#starmap}.
 *
 * @param <A> the first argument's type
 * @param <B> the second argument's type
 * @param <R> the result type
 */
@FunctionalInterface
public interface SerialBiFunction<A, B, R> extends BiFunction<A, B, R>, Serializable {
}
