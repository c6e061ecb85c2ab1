package org.jparallel.internal.launch;

import org.jparallel.api.SlurmLaunchException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts workers in a pool's Slurm job ({@link SlurmAllocation}): each one a step of its own, {@code srun
 * --jobid=J --nodelist=NODE --ntasks=1 --overlap}, run by a local {@code srun} this JVM holds as it holds a
 * local worker or a worker's ssh (its exit is the worker's, its standard error the worker's, its standard input
 * the worker's: when this JVM goes, srun's input ends and so does the worker). Its secret and TLS credentials
 * travel in a file ({@link CredentialFiles}): what goes through srun crosses the cluster's network unencrypted.
 *
 * <p>{@code --overlap}: a step of its own per worker lets a worker be replaced without the others, and on
 * clusters that count memory a step without it would take all of the job's, so that the second worker's step
 * would wait for the first's end.
 */
public final class SlurmLauncher implements RemoteShell, RemoteLauncher {

    private static final Pattern NODE_ADDRESS = Pattern.compile("NodeAddr=(\\S+)");

    private final SlurmAllocation job;
    private final RemoteJava java;
    private final CredentialFiles files = CredentialFiles.create();

    /** A launcher of workers into {@code job}, run by the JDK in {@code javaHome} on the nodes (null: {@link HostJava}). */
    public SlurmLauncher(SlurmAllocation job, String javaHome, String classpath, List<String> jvmOptions) {
        this.job = job;
        this.java = new RemoteJava(javaHome, classpath, jvmOptions);
    }

    /**
     * Checks that {@code node} runs the JDK's {@code java}, and copies there (through srun) the class path's jars
     * its cache lacks: none when it shares this machine's home directory.
     *
     * @throws SlurmLaunchException naming the node and what srun or its shell said
     */
    public void check(String node) {
        java.prepare(node, this, -1, "srun");
    }

    /** The address of this machine that traffic to {@code node} leaves from (its {@code NodeAddr}, see {@link Routes}). */
    public InetAddress routeTo(String node) {
        HostCommands.Result shown = HostCommands.run(List.of("scontrol", "show", "node", node), null,
                RemoteJava.CHECK_SECONDS);
        Matcher m = NODE_ADDRESS.matcher(shown.said());
        return Routes.localAddressTowards(node, m.find() ? m.group(1) : node,
                (host, message) -> new SlurmLaunchException(job.jobId(), host, message));
    }

    @Override
    public WorkerLauncher.Launched launch(String node, InetSocketAddress kernel, int peer, int index, String name,
                                          byte[] secret, byte[] credentials) throws IOException {
        String file = "worker-" + peer;
        files.write(file, RemoteJava.secrets(secret, credentials));
        ProcessBuilder builder = new ProcessBuilder(command(node,
                java.workerScript(kernel, peer, index, name, files.shellWord(file))))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.PIPE);
        builder.environment().remove("JPY_PARENT_PID");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            files.delete(file);
            throw e;
        }
        process.onExit().thenRun(() -> files.delete(file));
        return new WorkerLauncher.Launched(process, process.getOutputStream(), "srun");
    }

    @Override
    public List<String> command(String node, String script) {
        return SlurmAllocation.outsideAnyJob(srun(job.jobId(), node, script), System.getenv());
    }

    /** A step of job {@code jobId}: one task on {@code node} that runs {@code script} in {@code /bin/sh}. */
    static List<String> srun(long jobId, String node, String script) {
        return List.of("srun", "--jobid=" + jobId, "--nodelist=" + node, "--nodes=1", "--ntasks=1", "--overlap",
                "--quiet", "/bin/sh", "-c", script);
    }

    @Override
    public RuntimeException failure(String node, String message) {
        return new SlurmLaunchException(job.jobId(), node, "Slurm job " + job.jobId() + ": " + message);
    }

    /** Deletes the workers' credentials that are left; the job itself is its owner's to cancel. */
    public void close() {
        files.close();
    }
}
