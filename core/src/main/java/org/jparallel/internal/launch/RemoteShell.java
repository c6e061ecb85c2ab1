package org.jparallel.internal.launch;

import java.util.List;

/**
 * How a command reaches a POSIX shell on another host: {@code ssh destination script}, or {@code srun} in a
 * pool's Slurm job on one of its nodes. Its standard input, output and error are the shell's.
 */
interface RemoteShell {

    /** The local command that runs {@code script} in a POSIX shell on {@code host}. */
    List<String> command(String host, String script);

    /** The error to throw for a host that cannot be prepared for workers, saying {@code message}. */
    RuntimeException failure(String host, String message);
}
