package org.jparallel.api;

import java.io.Serializable;

/** The body of a {@link WorkerProcess}: serializable, and allowed to throw checked exceptions. */
@FunctionalInterface
public interface SerialRunnable extends Serializable {

    /** Runs in the worker process. */
    void run() throws Exception;
}
