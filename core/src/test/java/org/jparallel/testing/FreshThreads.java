package org.jparallel.testing;

import java.util.concurrent.Executor;

/**
 * An executor that runs each task on a new thread of its own. Tests whose asynchronous parts block (a
 * party waiting at a barrier, a waiter on a condition) need this: the common pool that
 * {@code CompletableFuture.runAsync} uses by default has one thread on a 2-CPU machine under JDK 25, so a
 * second blocking party never started and the test waited out its limit.
 */
public final class FreshThreads {

    /** Starts each task on a new daemon thread. */
    public static final Executor EACH = task -> {
        Thread thread = new Thread(task, "test-party");
        thread.setDaemon(true);
        thread.start();
    };

    private FreshThreads() {
    }
}
