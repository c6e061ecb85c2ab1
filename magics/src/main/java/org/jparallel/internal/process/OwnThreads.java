package org.jparallel.internal.process;

import java.util.function.Supplier;

/**
 * Builds objects that start threads (sockets' threads, watchers) on a short-lived thread of a group of
 * jparallel's own, so the threads they start belong to that group and not to the caller's. In a
 * notebook the caller is a cell thread, and interrupting a cell interrupts its whole thread group:
 * that must never reach a thread that owns a ZeroMQ socket, nor one that watches a process.
 */
final class OwnThreads {

    private static final ThreadGroup GROUP = new ThreadGroup(root(), "jparallel-processes");

    private OwnThreads() {
    }

    private static ThreadGroup root() {
        ThreadGroup group = Thread.currentThread().getThreadGroup();
        while (group.getParent() != null) {
            group = group.getParent();
        }
        return group;
    }

    /** Runs {@code work} on a thread of jparallel's group and returns its result; an interrupt does not cut the wait short. */
    static <T> T build(Supplier<T> work) {
        Object[] result = new Object[1];
        Throwable[] failure = new Throwable[1];
        Thread builder = new Thread(GROUP, () -> {
            try {
                result[0] = work.get();
            } catch (RuntimeException | Error e) {
                failure[0] = e;
            }
        }, "jparallel-process-start");
        builder.setDaemon(true);
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
