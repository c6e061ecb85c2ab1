package org.jparallel.internal.worker;

import org.jparallel.api.SerialFunction;
import org.jparallel.api.WorkerIdentity;
import org.jparallel.internal.codec.ValueCodec;
import org.jparallel.internal.wire.Message;
import org.jparallel.internal.wire.MessageCodec;
import org.jparallel.internal.wire.PeerAuthentication;
import org.jparallel.internal.wire.PoolAuthority;
import org.jparallel.internal.wire.WireServer;
import org.jparallel.testing.Await;
import org.jparallel.testing.TestHosts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real worker JVM ({@link WorkerMain}) on test host {@code alpha} — network namespace {@code jp-alpha},
 * reached through its sshd — started through {@code ssh} as a launcher would start it: the pool's
 * secret and TLS credentials on ssh's standard input, nothing secret on the command line. It dials
 * back through TLS to the kernel's wire, which listens on the address the host reaches (the root end
 * of its veth), never on all interfaces, and runs a task (this class is on its classpath: one file
 * system). The same worker through {@code srun} on the one-node Slurm cluster runs in a job that ends
 * with its kernel. Needs {@code .ci/hosts.sh up} ({@link TestHosts}).
 */
class RemoteWorkerHostsIT {

    private static final int PEER = 1;
    private static final Duration START_LIMIT = Duration.ofSeconds(60);
    /** The issue's limit for what a gone kernel leaves running on any host. */
    private static final Duration GONE_LIMIT = Duration.ofSeconds(10);

    private static TestHosts hosts;

    private final byte[] secret = PeerAuthentication.newSecret();
    private final PoolAuthority authority = PoolAuthority.create("hosts-it");
    private final LinkedBlockingQueue<Message> received = new LinkedBlockingQueue<>();
    private final ValueCodec values = new ValueCodec(RemoteWorkerHostsIT.class.getClassLoader());
    private final List<Process> started = new ArrayList<>();
    private WireServer wire;
    private Path stderr;
    private long tasks;

    @BeforeAll
    static void hostsUp() {
        hosts = TestHosts.require();
    }

    @BeforeEach
    void listen() throws IOException {
        wire = new WireServer(secret, new MessageCodec(), (peer, m) -> received.add(m), "hosts-it-wire",
                new WireServer.TlsListener(new InetSocketAddress(hosts.kernelAddress("alpha"), 0), authority.issueServer()));
        stderr = Files.createTempFile("jparallel-hosts-it", ".err");
    }

    @AfterEach
    void close() throws Exception {
        for (Process p : started) {
            p.destroyForcibly().waitFor();
        }
        wire.close();
        Files.deleteIfExists(stderr);
    }

    @Test
    void aWorkerOnAlphaDialsBackThroughTlsRunsInAlphasNamespaceAndEndsWithItsKernel() throws Exception {
        InetSocketAddress kernel = wire.remoteAddress();
        assertEquals(hosts.kernelAddress("alpha"), kernel.getAddress(), "the kernel listens on the chosen address only");

        Process ssh = startWorker(ssh("alpha"), kernel);
        long pid = hello("alpha");

        // a task: its result names the worker's PID and network namespace, as the worker sees them
        assertEquals(pid + " " + netns(pid), runTask(x -> ProcessHandle.current().pid() + " " + netns(ProcessHandle.current().pid())));

        // the worker's PID is one of this machine's PID namespace, its network namespace is alpha's
        assertNotEquals(netns(ProcessHandle.current().pid()), netns(pid), "the worker runs in the test's network namespace");
        assertEquals(hosts.netns("alpha"), run("ip", "netns", "identify", Long.toString(pid)).strip());
        assertEquals(0, wire.refusedCount());

        // the plain listener is on this machine's loopback only: alpha cannot reach it at the kernel's address
        int plain = ssh("alpha", "exec 3<>/dev/tcp/" + kernel.getAddress().getHostAddress() + "/" + wire.port());
        assertNotEquals(0, plain, "alpha reached the plain loopback listener");

        // the kernel goes: its end of ssh's stdin closes, the worker sees end of file and halts
        ssh.getOutputStream().close();
        Await.until("the worker on alpha to end with its kernel", GONE_LIMIT, () -> ProcessHandle.of(pid).isEmpty());
        assertTrue(ssh.waitFor(GONE_LIMIT.toSeconds(), TimeUnit.SECONDS), "ssh ended with its worker");
    }

    @Test
    void aWorkerStartedThroughSrunDialsBackThroughTlsAndItsJobEndsWithItsKernel() throws Exception {
        // srun passes its standard input to the job's task, so the credentials take the same way as through ssh
        // here, on one node; across nodes Slurm's I/O forwarding is not encrypted, so the Slurm launcher is to
        // hand them over in a 0600 file instead (issue 14)
        Process srun = startWorker(List.of("srun", "-N1", "-n1", "--job-name=jparallel-hosts-it"), wire.remoteAddress());
        long pid = hello("srun");
        String job = runTask(x -> System.getenv("SLURM_JOB_ID") + " " + ProcessHandle.current().pid());
        assertTrue(job.matches("\\d+ " + pid), "the worker runs in a Slurm job: " + job);
        String id = job.substring(0, job.indexOf(' '));
        assertEquals("RUNNING", run("squeue", "-h", "-j", id, "-o", "%T").strip());

        srun.getOutputStream().close();
        Await.until("the worker's job to end with its kernel", GONE_LIMIT, () -> ProcessHandle.of(pid).isEmpty());
        assertTrue(srun.waitFor(GONE_LIMIT.toSeconds(), TimeUnit.SECONDS), "srun ended with its worker");
        Await.until("job " + id + " to leave the queue", GONE_LIMIT, () -> TestHosts.outputOf("squeue", "-h", "-j", id).isBlank());
    }

    @Test
    void aWorkerThatCannotReachTheKernelSaysWhichAddressItTriedAndWhy() throws Exception {
        // beta's only link is its own veth: alpha's kernel address is unreachable from there
        InetSocketAddress kernel = wire.remoteAddress();
        Process ssh = startWorker(ssh("beta"), kernel);
        assertTrue(ssh.waitFor(START_LIMIT.toSeconds(), TimeUnit.SECONDS), "the worker on beta did not give up");
        assertNotEquals(0, ssh.exitValue());
        String said = errors();
        assertTrue(said.contains(kernel.getAddress().getHostAddress() + ":" + kernel.getPort()) && said.contains("TLS"),
                "the worker's error names the address it tried: " + said);
        assertEquals(0, wire.refusedCount());
    }

    /** The launcher's words before a worker's command, for ssh to {@code host}. */
    private List<String> ssh(String host) {
        return List.of("ssh", "-F", hosts.sshConfig().toString(), host);
    }

    /**
     * {@code launcher} running WorkerMain for this kernel (ssh takes it as one string for the remote
     * shell, srun as its words); the secret and the credentials go on the launcher's stdin, kept open:
     * the worker's end of file is its kernel's end.
     */
    private Process startWorker(List<String> launcher, InetSocketAddress kernel) throws IOException {
        List<String> java = List.of("java", "-XX:+UseSerialGC",
                "-D" + WorkerIdentity.INDEX_PROPERTY + "=0", "-D" + WorkerIdentity.NAME_PROPERTY + "=remote-0",
                "-cp", System.getProperty("java.class.path"), WorkerMain.class.getName(),
                kernel.getAddress().getHostAddress() + ":" + kernel.getPort(), Integer.toString(PEER), "tls");
        List<String> command = new ArrayList<>(launcher);
        if (launcher.get(0).equals("ssh")) {
            command.add(String.join(" ", java.stream().map(RemoteWorkerHostsIT::quoted).toList()));
        } else {
            command.addAll(java);
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(stderr.toFile());
        builder.environment().put("SLURM_CONF", hosts.slurmConf().toString());
        Process process = builder.start();
        started.add(process);
        OutputStream stdin = process.getOutputStream();
        stdin.write((HexFormat.of().formatHex(secret) + "\n").getBytes(StandardCharsets.US_ASCII));
        stdin.write(authority.issueClient().encode());
        stdin.flush();
        return process;
    }

    /** The PID the worker's hello names; fails if it says none within the start limit. */
    private long hello(String how) throws Exception {
        Message hello = received.poll(START_LIMIT.toSeconds(), TimeUnit.SECONDS);
        assertNotNull(hello, "the worker started through " + how + " did not say hello within " + START_LIMIT
                + "; its stderr:\n" + errors());
        return assertInstanceOf(Message.Hello.class, hello).pid();
    }

    /** Runs {@code task} on the worker, for one element, and returns its result. */
    private String runTask(SerialFunction<Integer, Object> task) throws Exception {
        wire.send(PEER, new Message.RunChunk(++tasks, tasks, values.encode(task, "fn"), Message.CallShape.ONE_ARGUMENT, 0,
                values.encodeAll(List.of(1), "element")));
        Message.Done done = assertInstanceOf(Message.Done.class, received.poll(START_LIMIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(List.of(), done.failures());
        return (String) values.decodeAll(done.results()).get(0);
    }

    private int ssh(String host, String command) throws Exception {
        Process p = new ProcessBuilder("ssh", "-F", hosts.sshConfig().toString(), host, "bash", "-c", quoted(command))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        started.add(p);
        assertTrue(p.waitFor(START_LIMIT.toSeconds(), TimeUnit.SECONDS), "ssh " + host + " " + command);
        return p.exitValue();
    }

    private static String run(String... command) {
        return TestHosts.run(command);
    }

    private static String netns(long pid) {
        return TestHosts.netnsOf(pid);
    }

    private String errors() throws IOException {
        return Files.readString(stderr);
    }

    private static String quoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
