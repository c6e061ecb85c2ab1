package org.jparallel.internal.pool;

/** Where a pool worker is in its life. */
public enum WorkerState {
    /** The JVM was started and has not said hello yet. */
    STARTING,
    /** Ready, with no task. */
    IDLE,
    /** Running or holding tasks. */
    BUSY,
    /** Asked to exit, or being replaced. */
    STOPPING,
    /** The process has ended. */
    DEAD
}
