package org.jparallel.kernel;

import org.slf4j.LoggerFactory;

/**
 * Sends the kernel's own log (warnings and worse, unless {@code JPARALLEL_LOG_LEVEL} says otherwise)
 * to the process's real stderr — the Jupyter server's log — and never into a notebook.
 */
final class KernelLog {

    private KernelLog() {
    }

    static void configure() {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                System.getenv().getOrDefault("JPARALLEL_LOG_LEVEL", "warn"));
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.setProperty("org.slf4j.simpleLogger.cacheOutputStream", "true");
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        LoggerFactory.getLogger(KernelLog.class).debug("kernel log configured");
    }
}
