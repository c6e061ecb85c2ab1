package org.jparallel.api;

import java.nio.file.Path;

/**
 * A "kernel" for {@link WorkerPoolHostsIT} and {@link SlurmPoolHostsIT}: a JVM of its own that starts a pool with
 * a worker on each test host (argument: the ssh config), or two in a Slurm job (arguments: {@code --slurm} and the
 * partition), prints each worker's host and PID, then waits, so the test can SIGKILL it.
 */
public final class HostsKernelMain {

    private HostsKernelMain() {
    }

    public static void main(String[] args) throws Exception {
        WorkerPool.Builder builder = args[0].equals("--slurm") ? WorkerPool.builder().slurm(SlurmJob.of(2).partition(args[1]))
                : WorkerPool.builder().host("alpha", 1).host("beta", 1).sshOption("-F", Path.of(args[0]).toString());
        WorkerPool pool = builder.start().awaitReady();
        for (WorkerStatus row : pool.status()) {
            System.out.println("worker " + row.host() + " " + row.pid());
        }
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
