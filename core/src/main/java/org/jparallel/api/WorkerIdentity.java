package org.jparallel.api;

/**
 * Who is running this code: a pool worker, a {@link WorkerProcess}, or the notebook's own kernel
 * (Python's {@code current_process()}).
 *
 * @param index the worker's index in its pool (0 …), or -1 outside a pool worker
 * @param name  {@code worker-0} …, the process's name, or {@code main} in the kernel
 * @param pid   the operating system's process id
 */
public record WorkerIdentity(int index, String name, long pid) {

    /** System property holding a worker's index; set by the pool when it starts the worker. */
    public static final String INDEX_PROPERTY = "jparallel.worker.index";
    /** System property holding a worker's name; set by the pool when it starts the worker. */
    public static final String NAME_PROPERTY = "jparallel.worker.name";

    /** The identity of the current process. */
    public static WorkerIdentity current() {
        return new WorkerIdentity(Integer.getInteger(INDEX_PROPERTY, -1),
                System.getProperty(NAME_PROPERTY, "main"), ProcessHandle.current().pid());
    }

    /** Whether this code runs in a worker rather than in the kernel. */
    public boolean isWorker() {
        return !"main".equals(name);
    }
}
