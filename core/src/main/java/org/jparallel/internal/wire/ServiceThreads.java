package org.jparallel.internal.wire;

/**
 * Threads that serve a pool for longer than one cell — the wire's selector thread, servers'
 * connection threads, readers of worker output — created in a thread group of their own under the
 * JVM's root group.
 *
 * <p>A pool is usually started from a cell, and a thread inherits the group of the thread that creates
 * it. But stopping a cell interrupts every thread in that cell's group, and an interrupted thread
 * blocked on a channel closes that channel. So these threads must never be in a cell's group.
 */
public final class ServiceThreads {

    private static final ThreadGroup GROUP = new ThreadGroup(root(), "jparallel-service");

    private ServiceThreads() {
    }

    private static ThreadGroup root() {
        ThreadGroup group = Thread.currentThread().getThreadGroup();
        while (group.getParent() != null) {
            group = group.getParent();
        }
        return group;
    }

    /** A daemon thread in the service group, not started. */
    public static Thread daemon(Runnable body, String name) {
        Thread thread = new Thread(GROUP, body, name);
        thread.setDaemon(true);
        return thread;
    }
}
