package org.jparallel.internal.worker;

import org.slf4j.LoggerFactory;

import java.io.PrintStream;

/**
 * Sends a worker's own log (SLF4J: refused frames, socket errors) to the given stream, which reports it
 * to the kernel as the worker's own output, never as a task's. Must run before anything in the worker
 * logs: the logger keeps the stream it finds when it starts.
 */
final class WorkerLog {

    private WorkerLog() {
    }

    static void configure(PrintStream log) {
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.setProperty("org.slf4j.simpleLogger.cacheOutputStream", "true");
        PrintStream err = System.err;
        System.setErr(log);
        try {
            LoggerFactory.getLogger(WorkerLog.class).debug("worker log configured");
        } finally {
            System.setErr(err);
        }
    }
}
