package org.jparallel.internal.wire;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZContext;

/**
 * Threads that serve a pool for longer than one cell — inbox and outbox threads, JeroMQ's I/O and
 * reaper threads, readers of worker output — created in a thread group of their own under the JVM's
 * root group.
 *
 * <p>A pool is usually started from a cell, and a thread inherits the group of the thread that creates
 * it. But stopping a cell interrupts every thread in that cell's group, and an interrupted JeroMQ
 * thread fails its socket calls (EINTR) and may close its channels. So these threads must never be in
 * a cell's group.
 *
 * <p>What JeroMQ's I/O threads report goes to the log, never to {@code System.err}: in the kernel that
 * stream is the running cell's, and in a worker it is the task's output. JeroMQ reports by default
 * with {@code printStackTrace}, so a connection reset while a handshake is retried — which it
 * recovers from — would show up in the user's cell as an exception.
 */
public final class ServiceThreads {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceThreads.class);

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

    /** A ZeroMQ context with one I/O thread, whose threads are service threads and report to the log. */
    public static ZContext newContext() {
        ZContext context = new ZContext(1);
        context.setThreadFactor(ServiceThreads::daemon);
        context.setNotificationExceptionHandler(
                (thread, e) -> LOG.debug("ZeroMQ recovered from an error on {}: {}", thread.getName(), e.toString()));
        context.setUncaughtExceptionHandler(
                (thread, e) -> LOG.error("ZeroMQ thread {} ended with an error", thread.getName(), e));
        return context;
    }
}
