package org.jparallel.internal.launch;

import java.nio.file.Path;
import java.util.List;

/**
 * How a worker's JVM command is run: as it is, on this host ({@link #LOCAL}), or inside another command that
 * runs it elsewhere: a mount namespace that hides the kernel's files, a remote host over SSH. The worker's
 * standard input, output and error are the wrapping command's, so the secret still travels on standard input.
 */
public interface LaunchCommand {

    /** The command to start for a worker whose JVM command line is {@code java}. */
    List<String> wrap(List<String> java);

    /** The directory the command starts in; null for this JVM's working directory. */
    default Path workingDirectory() {
        return null;
    }

    /** The JVM command itself, in this JVM's working directory. */
    LaunchCommand LOCAL = java -> java;
}
