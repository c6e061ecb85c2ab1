package org.jparallel.internal.process;

import org.jparallel.internal.wire.ServiceThreads;

import java.util.function.Supplier;

/**
 * Builds objects that start threads (watchers, pipe readers) on a short-lived {@link ServiceThreads
 * service thread}, so the threads they start belong to the service group and not to the caller's. In a
 * notebook the caller is a cell thread, and interrupting a cell interrupts its whole thread group:
 * that must never reach a thread that owns a ZeroMQ socket, nor one that watches a process.
 */
final class OwnThreads {

    private OwnThreads() {
    }

    /** Runs {@code work} on a thread of jparallel's group and returns its result; an interrupt does not cut the wait short. */
    static <T> T build(Supplier<T> work) {
        Object[] result = new Object[1];
        Throwable[] failure = new Throwable[1];
        Thread builder = ServiceThreads.daemon(() -> {
            try {
                result[0] = work.get();
            } catch (RuntimeException | Error e) {
                failure[0] = e;
            }
        }, "jparallel-process-start");
        builder.start();
        boolean interrupted = false;
        while (true) {
            try {
                builder.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the work is short; its threads must not be left half started
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure[0] instanceof RuntimeException e) {
            throw e;
        }
        if (failure[0] instanceof Error e) {
            throw e;
        }
        @SuppressWarnings("unchecked")
        T built = (T) result[0];
        return built;
    }
}
