package org.jparallel.internal.pool;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the parts of one pool share: the pool's lock (this object: every part synchronizes on it, and waits
 * on it for changes), its ids for runs and tasks, whether it is closing, and why its workers could not
 * start. The flags are guarded by the lock.
 */
final class PoolState {

    private final AtomicLong ids = new AtomicLong();
    private boolean closing;
    private String startFailure;

    /** A new id for a run, a function or a task. */
    long nextId() {
        return ids.incrementAndGet();
    }

    boolean closing() {
        return closing;
    }

    /** Marks the pool as closing; returns false if it already was. */
    boolean startClosing() {
        boolean first = !closing;
        closing = true;
        return first;
    }

    /** Refuses new work once the pool is closing. */
    void checkOpen() {
        if (closing) {
            throw new IllegalStateException("this pool is closed; start a new one");
        }
    }

    /** Why a worker could not start (the pool cannot run anything), or null. */
    String startFailure() {
        return startFailure;
    }

    void startFailed(String why) {
        startFailure = why;
    }
}
