package org.jparallel.api;

import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * A task without arguments that can be sent to a worker, for {@link WorkerPool#apply(SerialCallable)};
 * it may throw checked exceptions.
 *
 * @param <R> the result type
 */
@FunctionalInterface
public interface SerialCallable<R> extends Callable<R>, Serializable {
}
