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
import java.io.UncheckedIOException;
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
 * system). Needs {@code .ci/hosts.sh up} ({@link TestHosts}).
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

        Process ssh = startWorker("alpha", kernel);
        OutputStream stdin = ssh.getOutputStream();
        Message hello = received.poll(START_LIMIT.toSeconds(), TimeUnit.SECONDS);
        assertNotNull(hello, "the worker on alpha did not say hello within " + START_LIMIT + "; its stderr:\n" + errors());
        long pid = assertInstanceOf(Message.Hello.class, hello).pid();

        // a task: its result names the worker's PID and network namespace, as the worker sees them
        wire.send(PEER, new Message.RunChunk(1, 100, values.encode((SerialFunction<Integer, Object>) x ->
                ProcessHandle.current().pid() + " " + netns(ProcessHandle.current().pid()), "fn"),
                Message.CallShape.ONE_ARGUMENT, 0, values.encodeAll(List.of(1), "element")));
        Message.Done done = assertInstanceOf(Message.Done.class, received.poll(START_LIMIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(List.of(), done.failures());
        assertEquals(List.of(pid + " " + netns(pid)), values.decodeAll(done.results()));

        // the worker's PID is one of this machine's PID namespace, its network namespace is alpha's
        assertNotEquals(netns(ProcessHandle.current().pid()), netns(pid), "the worker runs in the test's network namespace");
        assertEquals(hosts.netns("alpha"), run("ip", "netns", "identify", Long.toString(pid)).strip());
        assertEquals(0, wire.refusedCount());

        // the plain listener is on this machine's loopback only: alpha cannot reach it at the kernel's address
        int plain = ssh("alpha", "exec 3<>/dev/tcp/" + kernel.getAddress().getHostAddress() + "/" + wire.port());
        assertNotEquals(0, plain, "alpha reached the plain loopback listener");

        // the kernel goes: its end of ssh's stdin closes, the worker sees end of file and halts
        stdin.close();
        Await.until("the worker on alpha to end with its kernel", GONE_LIMIT, () -> ProcessHandle.of(pid).isEmpty());
        assertTrue(ssh.waitFor(GONE_LIMIT.toSeconds(), TimeUnit.SECONDS), "ssh ended with its worker");
    }

    @Test
    void aWorkerThatCannotReachTheKernelSaysWhichAddressItTriedAndWhy() throws Exception {
        // beta's only link is its own veth: alpha's kernel address is unreachable from there
        InetSocketAddress kernel = wire.remoteAddress();
        Process ssh = startWorker("beta", kernel);
        assertTrue(ssh.waitFor(START_LIMIT.toSeconds(), TimeUnit.SECONDS), "the worker on beta did not give up");
        assertNotEquals(0, ssh.exitValue());
        String said = errors();
        assertTrue(said.contains(kernel.getAddress().getHostAddress() + ":" + kernel.getPort()) && said.contains("TLS"),
                "the worker's error names the address it tried: " + said);
        assertEquals(0, wire.refusedCount());
    }

    /** ssh to {@code host} running WorkerMain for this kernel; secret and credentials go on ssh's stdin. */
    private Process startWorker(String host, InetSocketAddress kernel) throws IOException {
        String command = String.join(" ", "java", "-XX:+UseSerialGC",
                "-D" + WorkerIdentity.INDEX_PROPERTY + "=0", "-D" + WorkerIdentity.NAME_PROPERTY + "=" + host + "-0",
                "-cp", quoted(System.getProperty("java.class.path")), WorkerMain.class.getName(),
                kernel.getAddress().getHostAddress() + ":" + kernel.getPort(), Integer.toString(PEER), "tls");
        Process ssh = new ProcessBuilder("ssh", "-F", hosts.sshConfig().toString(), host, command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(stderr.toFile()).start();
        started.add(ssh);
        OutputStream stdin = ssh.getOutputStream();
        stdin.write((HexFormat.of().formatHex(secret) + "\n").getBytes(StandardCharsets.US_ASCII));
        stdin.write(authority.issueClient().encode());
        stdin.flush(); // and kept open: the worker's end of file is its kernel's end
        return ssh;
    }

    private int ssh(String host, String command) throws Exception {
        Process p = new ProcessBuilder("ssh", "-F", hosts.sshConfig().toString(), host, "bash", "-c", quoted(command))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        started.add(p);
        assertTrue(p.waitFor(START_LIMIT.toSeconds(), TimeUnit.SECONDS), "ssh " + host + " " + command);
        return p.exitValue();
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", command) + ": " + out);
        return out;
    }

    private static String netns(long pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", "net")).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String errors() throws IOException {
        return Files.readString(stderr);
    }

    private static String quoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
