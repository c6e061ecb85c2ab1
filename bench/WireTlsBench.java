import org.jparallel.internal.wire.Message;
import org.jparallel.internal.wire.MessageCodec;
import org.jparallel.internal.wire.PeerAuthentication;
import org.jparallel.internal.wire.PoolAuthority;
import org.jparallel.internal.wire.TlsIdentity;
import org.jparallel.internal.wire.WireAddress;
import org.jparallel.internal.wire.WireClient;
import org.jparallel.internal.wire.WireServer;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What TLS costs on the wire: the round trip of an apply-sized task (a RunChunk out, a Done back) and
 * the bytes per second of 1 MiB chunks, between this process (the kernel's {@link WireServer}) and an
 * echoing worker JVM started as a pool starts one (secret and, for TLS, the PEM credentials on its
 * standard input), once over the plain loopback listener and once over the TLS listener, both on
 * 127.0.0.1 so that only the transport differs.
 *
 * <p>Run by bench/wire_tls_bench.py, compiled with PoolBench.java (JSON and statistics helpers).
 * Prints ONE JSON object on stdout; progress on stderr. Options: --quick (1,000 calls instead of
 * 5,000 and 50 MiB instead of 200). {@code --echo HOST PORT plain|tls} is the worker's side.
 */
public final class WireTlsBench {

    private static final int PEER = 1;
    private static final int MIB = 1024 * 1024;

    public static void main(String[] args) throws Exception {
        if (args.length == 4 && args[0].equals("--echo")) {
            echo(args[1], Integer.parseInt(args[2]), args[3].equals("tls"));
            return;
        }
        boolean quick = Arrays.asList(args).contains("--quick");
        int calls = quick ? 1000 : 5000;
        int mib = quick ? 50 : 200;
        Map<String, Object> plain = measure(false, calls, mib);
        Map<String, Object> tls = measure(true, calls, mib);
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("plain", plain);
        metrics.put("tls", tls);
        var pool = PoolBench.open(2);
        try {
            PoolBench.log("pool: whole pool.apply round trips (plain) ...");
            metrics.put("pool", Map.of("apply_rtt_us", PoolBench.benchApplyRtt(pool, calls / 2, calls)));
        } finally {
            PoolBench.close(pool);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("machine", PoolBench.machine());
        out.put("metrics", metrics);
        System.out.println(PoolBench.json(out, "  "));
    }

    private static Map<String, Object> measure(boolean tls, int calls, int mib) throws Exception {
        String mode = tls ? "tls" : "plain";
        byte[] secret = PeerAuthentication.newSecret();
        PoolAuthority authority = PoolAuthority.create("bench");
        TlsIdentity server = authority.issueServer();
        TlsIdentity client = authority.issueClient();
        BlockingQueue<Message> replies = new ArrayBlockingQueue<>(16);
        WireServer.TlsListener listener = new WireServer.TlsListener(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), server);
        try (WireServer wire = new WireServer(secret, new MessageCodec(), (peer, m) -> replies.add(m), "bench-wire", listener)) {
            int port = tls ? wire.remoteAddress().getPort() : wire.port();
            Process worker = startWorker(port, mode, secret, tls ? client.encode() : null);
            try {
                Message hello = replies.poll(60, TimeUnit.SECONDS);
                if (!(hello instanceof Message.Hello)) {
                    throw new IllegalStateException("the echo worker did not say hello: " + hello);
                }
                PoolBench.log(mode + ": apply-sized round trips ...");
                byte[] function = new byte[120];
                byte[] element = new byte[8];
                roundTrips(wire, replies, calls / 2, function, element); // warm-up
                double[] us = roundTrips(wire, replies, calls, function, element);
                Arrays.sort(us);
                List<Double> all = new ArrayList<>();
                for (double x : us) {
                    all.add(x);
                }
                PoolBench.log(mode + ": 1 MiB chunks ...");
                byte[] chunk = new byte[MIB];
                roundTrips(wire, replies, mib / 4, null, chunk); // warm-up: C2 compiles the ciphers' loops late
                long kernelCpu0 = kernelCpuNanos();
                long workerCpu0 = workerCpuNanos(worker);
                long t0 = System.nanoTime();
                roundTrips(wire, replies, mib, null, chunk);
                double seconds = (System.nanoTime() - t0) / 1e9;
                double kernelMsPerMB = (kernelCpuNanos() - kernelCpu0) / 1e6 / (2.0 * mib * MIB / 1e6);
                double workerMsPerMB = (workerCpuNanos(worker) - workerCpu0) / 1e6 / (2.0 * mib * MIB / 1e6);
                wire.send(PEER, new Message.Exit());
                if (!worker.waitFor(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the echo worker did not exit");
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("apply_rtt_us", PoolBench.metric(PoolBench.rnd(PoolBench.median(all)), "us", calls,
                        "p10", PoolBench.rnd(us[calls / 10]), "p90", PoolBench.rnd(us[calls * 9 / 10]),
                        "p99", PoolBench.rnd(us[calls * 99 / 100]),
                        "note", "RunChunk (120-byte function, 8-byte element) to an echoing worker JVM, Done back, "
                                + mode + " on 127.0.0.1, after " + calls / 2 + " warm-up round trips"));
                m.put("chunk_MBps", PoolBench.metric(PoolBench.rnd(2.0 * mib * MIB / 1e6 / seconds), "MB/s", mib,
                        "note", mib + " x 1 MiB out and back (counted both ways), one at a time, after " + mib / 4
                                + " warm-up chunks"));
                m.put("chunk_kernel_cpu_ms_per_MB", PoolBench.metric(PoolBench.rnd(kernelMsPerMB), "ms/MB", mib,
                        "note", "CPU time of this JVM (all its threads, GC and JIT included) over the chunks, per MB "
                                + "counted both ways"));
                m.put("chunk_worker_cpu_ms_per_MB", PoolBench.metric(PoolBench.rnd(workerMsPerMB), "ms/MB", mib,
                        "note", "CPU time of the echo worker's JVM over the chunks, per MB counted both ways"));
                return m;
            } finally {
                worker.destroyForcibly().waitFor();
            }
        }
    }

    /** CPU time of this whole JVM so far. */
    private static long kernelCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** CPU time of the worker's JVM so far, as the OS counts it. */
    private static long workerCpuNanos(Process worker) {
        return worker.info().totalCpuDuration().orElseThrow().toNanos();
    }

    /** {@code n} round trips, one at a time; the latency of each in microseconds. */
    private static double[] roundTrips(WireServer wire, BlockingQueue<Message> replies, int n, byte[] function,
                                       byte[] elements) throws InterruptedException {
        double[] us = new double[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            wire.send(PEER, new Message.RunChunk(i, 1, function, Message.CallShape.ONE_ARGUMENT, 0, elements));
            Message reply = replies.poll(30, TimeUnit.SECONDS);
            us[i] = (System.nanoTime() - t0) / 1e3;
            if (!(reply instanceof Message.Done done) || done.task() != i) {
                throw new IllegalStateException("expected Done " + i + ", got " + reply);
            }
        }
        return us;
    }

    /** A worker JVM as a pool starts one: secret, then the PEM credentials for TLS, on its standard input. */
    private static Process startWorker(int port, String mode, byte[] secret, byte[] credentials) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(javaBin));
        command.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "WireTlsBench",
                "--echo", "127.0.0.1", Integer.toString(port), mode));
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write((HexFormat.of().formatHex(secret) + "\n").getBytes(StandardCharsets.US_ASCII));
            if (credentials != null) {
                stdin.write(credentials);
            }
        }
        return process;
    }

    /** The worker's side: answers each RunChunk with a Done carrying its elements, until Exit. */
    private static void echo(String host, int port, boolean tls) throws Exception {
        InputStream in = System.in;
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
        byte[] secret = HexFormat.of().parseHex(reader.readLine().trim());
        StringBuilder rest = new StringBuilder();
        for (String line; (line = reader.readLine()) != null; ) {
            rest.append(line).append('\n');
        }
        InetSocketAddress kernel = new InetSocketAddress(host, port);
        WireAddress address = tls
                ? WireAddress.tls(kernel, TlsIdentity.decode(rest.toString().getBytes(StandardCharsets.US_ASCII)))
                : WireAddress.loopback(port);
        try (WireClient client = WireClient.connect(address, PEER, secret, new MessageCodec())) {
            client.send(new Message.Hello(PEER, ProcessHandle.current().pid()));
            while (true) {
                Message m = client.receive();
                if (m instanceof Message.RunChunk chunk) {
                    client.send(new Message.Done(chunk.task(), chunk.elements(), List.of()));
                } else if (m instanceof Message.Exit) {
                    return;
                }
            }
        }
    }
}
