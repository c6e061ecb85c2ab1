package org.jparallel.internal.wire;

import org.jparallel.testing.Await;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real ZeroMQ peer can take a worker's place on our wire: libzmq, the reference implementation that
 * every Jupyter client uses, as a DEALER in a Python process (Debian's pyzmq, {@code zeromq_peer.py}).
 * It does the ZMTP 3.0 greeting with the NULL mechanism and READY with its Socket-Type, answers our
 * challenge as {@link PeerAuthentication#answer} does (Python's own {@code hmac}), checks the server's
 * proof, then messages cross both ways; with the wrong secret it is refused and dropped.
 */
class ZeroMqPeerIT extends WireServerFixture {

    /** Debian's Python, whose {@code zmq} module (package python3-zmq) wraps the system's libzmq. */
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    @TempDir
    Path dir;

    @BeforeAll
    static void pythonHasZmq() throws Exception {
        String missing = "ZeroMqPeerIT runs a libzmq peer under Debian's " + PYTHON + " with its zmq module: "
                + "install the Debian package python3-zmq (apt-get install python3-zmq; install/test.sh installs it)";
        if (!Files.isExecutable(PYTHON)) {
            fail(missing + "; there is no " + PYTHON);
        }
        Process check = new ProcessBuilder(PYTHON.toString(), "-I", "-c", "import zmq").redirectErrorStream(true).start();
        try {
            check.getOutputStream().close();
            assertTrue(check.waitFor(WAIT_S, TimeUnit.SECONDS), PYTHON + " -c 'import zmq' did not end within " + WAIT_S + " s");
            if (check.exitValue() != 0) {
                fail(missing + "; it said: " + new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        } finally {
            check.destroyForcibly();
        }
    }

    @Test
    void aLibzmqDealerCanTakeAWorkersPlace() throws Exception {
        Message toServer = new Message.Output(0, false, "from libzmq ✓");
        try (LibzmqPeer peer = LibzmqPeer.start(server.port(), secret, codec.encode(toServer), dir)) {
            Await.until("a message from the libzmq peer, or its end", Duration.ofSeconds(WAIT_S),
                    () -> !received.isEmpty() || !peer.process.isAlive());
            Received r = received.poll();
            if (r == null) {
                fail("the libzmq peer ended without sending its message; it printed:\n" + peer.output());
            }
            assertEquals(new Received(PEER, toServer), r);
            server.send(PEER, new Message.Cancel(5));
            Map<String, String> report = peer.finish();
            assertEquals("valid", report.get("proof"), report::toString);
            assertEquals(new Message.Cancel(5), codec.decode(HexFormat.of().parseHex(report.get("received"))));
        }
        assertEquals(0, server.refusedCount());
    }

    @Test
    void aLibzmqDealerWithTheWrongSecretIsRefusedAndDropped() throws Exception {
        try (LibzmqPeer peer = LibzmqPeer.start(server.port(), PeerAuthentication.newSecret(),
                codec.encode(new Message.Exit()), dir)) {
            Map<String, String> report = peer.finish();
            assertTrue(report.containsKey("challenge"), report::toString);
            assertEquals("after the answer", report.get("dropped"), report::toString);
        }
        assertEquals(1, server.refusedCount());
        assertTrue(received.isEmpty(), () -> "the refused peer's message was accepted: " + received);
    }

    /** A run of {@code zeromq_peer.py}: a libzmq DEALER that connects as peer {@link #PEER}. */
    private static final class LibzmqPeer implements AutoCloseable {

        private final Process process;
        /** Where the script's standard output and error go: readable at any time, no thread needed. */
        private final Path output;

        private LibzmqPeer(Process process, Path output) {
            this.process = process;
            this.output = output;
        }

        /** Starts the script; the secret and the message to send go to it on its standard input. */
        static LibzmqPeer start(int port, byte[] secret, byte[] message, Path dir) throws IOException, URISyntaxException {
            Path script = Path.of(ZeroMqPeerIT.class.getResource("zeromq_peer.py").toURI());
            Path output = dir.resolve("zeromq_peer.out");
            Process process = new ProcessBuilder(PYTHON.toString(), "-I", script.toString(), Integer.toString(port),
                    Integer.toString(PEER), Long.toString(TimeUnit.SECONDS.toMillis(WAIT_S)))
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            LibzmqPeer peer = new LibzmqPeer(process, output);
            try (OutputStream in = process.getOutputStream()) {
                HexFormat hex = HexFormat.of();
                in.write((hex.formatHex(secret) + "\n" + hex.formatHex(message) + "\n").getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                peer.close();
                throw e;
            }
            return peer;
        }

        /** Waits for the script to end well; its {@code key value} lines. */
        Map<String, String> finish() throws IOException, InterruptedException {
            if (!process.waitFor(2 * WAIT_S, TimeUnit.SECONDS)) {
                fail("the libzmq peer did not end within " + 2 * WAIT_S + " s; it printed:\n" + output());
            }
            String printed = output();
            assertEquals(0, process.exitValue(), () -> "the libzmq peer failed; it printed:\n" + printed);
            Map<String, String> report = new LinkedHashMap<>();
            printed.lines().map(line -> line.split(" ", 2)).forEach(kv -> report.put(kv[0], kv.length > 1 ? kv[1] : ""));
            return report;
        }

        /** What the script printed so far. */
        String output() throws IOException {
            return Files.readString(output);
        }

        @Override
        public void close() {
            process.destroyForcibly();
            try {
                if (!process.waitFor(WAIT_S, TimeUnit.SECONDS)) {
                    throw new AssertionError("the libzmq peer (pid " + process.pid() + ") outlived SIGKILL");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while ending the libzmq peer", e);
            }
        }
    }
}
