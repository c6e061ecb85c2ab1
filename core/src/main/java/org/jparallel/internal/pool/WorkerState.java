package org.jparallel.internal.pool;

/** Where a pool worker is in its life. */
public enum WorkerState {
    /** The JVM was started and has not said hello yet. */
    STARTING,
    /** Ready, with no task. */
    IDLE,
    /** Running or holding tasks. */
    BUSY,
    /** Leaving the pool (replaced, or removed by a resize): finishes the tasks it holds, gets no new ones. */
    RETIRING,
    /** Asked to exit: it holds no task, or the pool is shutting down. */
    STOPPING,
    /** The process has ended. */
    DEAD
}
