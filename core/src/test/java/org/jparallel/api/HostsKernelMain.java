package org.jparallel.api;

import java.nio.file.Path;

/**
 * A "kernel" for {@link WorkerPoolHostsIT}: a JVM of its own that starts a pool with a worker on each test host,
 * prints each worker's host and PID, then waits, so the test can SIGKILL it. Argument: the ssh config.
 */
public final class HostsKernelMain {

    private HostsKernelMain() {
    }

    public static void main(String[] args) throws Exception {
        WorkerPool pool = WorkerPool.builder().host("alpha", 1).host("beta", 1).sshOption("-F", Path.of(args[0]).toString())
                .start().awaitReady();
        for (WorkerStatus row : pool.status()) {
            System.out.println("worker " + row.host() + " " + row.pid());
        }
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
