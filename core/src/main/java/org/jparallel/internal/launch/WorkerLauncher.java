package org.jparallel.internal.launch;

import org.jparallel.api.WorkerIdentity;
import org.jparallel.internal.shm.SharedMemory;
import org.jparallel.internal.worker.WorkerMain;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Starts worker JVMs: the same {@code java} and classpath as this JVM, small-footprint flags, a
 * {@link ClassDataArchive} of the worker's classes when there is one (made on first use), the
 * secret written to the worker's standard input, which stays open for the worker's life.
 *
 * <p>A pool worker's standard output is discarded (its tasks' output travels as messages) and its
 * standard error is a pipe, read for crash reports. A stand-alone process (index -1) prints straight
 * to both, so both are pipes for the caller to read.
 *
 * <p>A new launcher (a pool or a stand-alone process starting) deletes the shared memory of processes
 * that died without releasing it; a worker that ends killed has what it left deleted once it is reaped.
 */
public final class WorkerLauncher {

    /**
     * Flags that make a worker start fast and stay small; user options come after and win. Workers keep
     * the optimizing compiler (C2), unlike the kernel: they run the heavy part of the work, and C2's
     * intrinsics matter even for the pool's own work (HMAC-SHA256 signs ~140 MB/s without them, over
     * 1 GB/s with them). Workers on other hosts get them too ({@link RemoteJava}: ssh and Slurm alike).
     */
    static final List<String> BASE_FLAGS = List.of(
            "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xss4m", "-XX:MaxRAMPercentage=25");

    private final String java;
    private final String classpath;
    private final List<String> jvmOptions;
    private final LaunchCommand command;
    /** Our class-data-sharing flags, or none when the user gave their own (JDK 25 refuses -Xshare with AOT flags). */
    private final List<String> sharingFlags;
    /** The class-data archive of these workers; null if they can have none. */
    private final ClassDataArchive archive;

    /**
     * A launcher of workers on this class path, with extra JVM options for every worker (for example
     * {@code -Xmx2g}).
     */
    public WorkerLauncher(String classpath, List<String> jvmOptions) {
        this(classpath, jvmOptions, LaunchCommand.LOCAL);
    }

    /** A launcher whose workers' commands are run by {@code command}. */
    public WorkerLauncher(String classpath, List<String> jvmOptions, LaunchCommand command) {
        this.command = command;
        // not this process's command: in the jshell tool's JVM (jparallel-jshell) that is bin/jshell
        this.java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        this.classpath = classpath;
        this.jvmOptions = List.copyOf(jvmOptions);
        boolean userSharing = ClassDataArchive.userChoseSharing(this.jvmOptions);
        this.sharingFlags = sharingFlags(this.jvmOptions);
        this.archive = userSharing ? null : ClassDataArchive.forWorkers(java, classpath);
        SharedMemory.deleteOrphans(); // what processes killed since the last start (SIGKILL, OOM killer) left
    }

    /** Our class-data-sharing flags for workers with these options: none when the user gave their own. */
    static List<String> sharingFlags(List<String> jvmOptions) {
        return ClassDataArchive.userChoseSharing(jvmOptions) ? List.of() : List.of("-Xshare:auto");
    }

    /** The extra JVM options this launcher passes. */
    public List<String> jvmOptions() {
        return jvmOptions;
    }

    /** The class-data archive these workers start from; null while there is none (yet). */
    public Path classDataArchive() {
        return archive == null ? null : archive.usable();
    }

    /**
     * A running worker process and the pipe to its standard input.
     *
     * @param via what runs the worker on another host ({@code ssh}, {@code srun}), whose process {@code process}
     *            is; null for the worker's own JVM on this machine
     */
    public record Launched(Process process, OutputStream stdin, String via) {

        /** A worker's own JVM on this machine. */
        public Launched(Process process, OutputStream stdin) {
            this(process, stdin, null);
        }
    }

    /**
     * Starts one worker.
     *
     * @param kernelPort the port of the kernel's wire
     * @param peer       the worker's peer id on the wire
     * @param index      its index in the pool (-1 for a stand-alone process)
     * @param name       its name, as {@link WorkerIdentity#current()} will report it
     * @param secret     the pool's secret
     */
    public Launched launch(int kernelPort, int peer, int index, String name, byte[] secret) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(BASE_FLAGS);
        command.addAll(sharingFlags);
        ClassDataArchive.Plan plan = archive == null ? ClassDataArchive.Plan.NONE : archive.plan();
        command.addAll(plan.flags());
        String shmDirectory = System.getProperty(SharedMemory.DIRECTORY_PROPERTY);
        if (shmDirectory != null && !shmDirectory.isBlank()) { // where this JVM looks for what a worker left
            command.add("-D" + SharedMemory.DIRECTORY_PROPERTY + "=" + shmDirectory);
        }
        command.addAll(jvmOptions);
        command.add("-D" + WorkerIdentity.INDEX_PROPERTY + "=" + index);
        command.add("-D" + WorkerIdentity.NAME_PROPERTY + "=" + name);
        command.add("-cp");
        command.add(classpath);
        command.add(WorkerMain.class.getName());
        command.add(Integer.toString(kernelPort));
        command.add(Integer.toString(peer));
        ProcessBuilder builder = new ProcessBuilder(this.command.wrap(command))
                .directory(this.command.workingDirectory() == null ? null : this.command.workingDirectory().toFile())
                .redirectOutput(index < 0 ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.PIPE);
        builder.environment().remove("JPY_PARENT_PID");
        Process process;
        try {
            process = builder.start();
        } catch (IOException | RuntimeException e) {
            if (archive != null) {
                archive.started(plan, null);
            }
            throw e;
        }
        if (archive != null) {
            archive.started(plan, process);
        }
        long pid = process.pid();
        // a worker releases its shared memory whichever way it ends, except SIGKILL or a crash: then we do
        process.onExit().thenRun(() -> SharedMemory.deleteLeftBy(pid));
        OutputStream stdin = process.getOutputStream();
        try {
            stdin.write((HexFormat.of().formatHex(secret) + "\n").getBytes(StandardCharsets.US_ASCII));
            stdin.flush();
        } catch (IOException e) {
            process.destroyForcibly();
            throw e;
        }
        return new Launched(process, stdin);
    }
}
