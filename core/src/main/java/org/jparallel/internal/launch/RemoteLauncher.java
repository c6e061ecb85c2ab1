package org.jparallel.internal.launch;

import java.io.IOException;
import java.net.InetSocketAddress;

/** Starts workers on other hosts (through ssh, or as steps of a Slurm job) that dial back to the kernel over TLS. */
public interface RemoteLauncher {

    /**
     * Starts one worker on {@code host} that dials {@code kernel} as {@code peer}, and hands it the pool's
     * secret and its TLS credentials (three PEM blocks). The process returned is the local one that runs it
     * there (ssh, srun); its standard input, which the caller keeps open, reaches the worker, whose end of
     * file tells it the kernel is gone.
     */
    WorkerLauncher.Launched launch(String host, InetSocketAddress kernel, int peer, int index, String name,
                                   byte[] secret, byte[] credentials) throws IOException;
}
