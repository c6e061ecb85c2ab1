package org.jparallel.internal.manager;

import org.jparallel.api.ManagedList;
import org.jparallel.api.ManagedMap;
import org.jparallel.api.ManagedNamespace;
import org.jparallel.api.ManagerStoppedException;
import org.jparallel.api.NotSendableException;
import org.jparallel.api.Shared;
import org.jparallel.api.SharedInt;
import org.jparallel.internal.codec.ValueCodec;
import org.jparallel.internal.wire.PeerAuthentication;
import org.jparallel.internal.wire.WireClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A manager server and its proxies in one JVM, over real loopback sockets: every operation of the three
 * kinds, copies, atomic updates from several threads, errors of every kind, proxies through the value
 * codec; strangers on its port (a huge frame before authenticating, silence, another secret, a replayed
 * connection); and no thread or socket left behind.
 */
class ManagerServerTest {

    private static final ClassLoader LOADER = ManagerServerTest.class.getClassLoader();

    private Set<Thread> threadsBefore;
    private Set<String> socketsBefore;
    private RealManager manager;

    /**
     * One call before any count: the JDK makes some descriptors once per JVM when it first closes a socket
     * (on Linux a socket pair it duplicates over descriptors being closed), and those are not leaks.
     */
    @BeforeAll
    static void warmUp() {
        try (RealManager first = RealManager.start(LOADER)) {
            first.map(null).size();
        }
    }

    @BeforeEach
    void start() throws IOException {
        threadsBefore = Thread.getAllStackTraces().keySet();
        socketsBefore = openSockets();
        manager = RealManager.start(LOADER);
    }

    @AfterEach
    void nothingLeftBehind() throws InterruptedException, IOException {
        manager.close();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (!threadsBefore.contains(t)) {
                t.join(5000); // a connection thread may still be finishing what close() began
                assertFalse(t.isAlive(), "left running: " + t.getName());
            }
        }
        Set<String> left = openSockets();
        left.removeAll(socketsBefore);
        assertEquals(Set.of(), left, "sockets left open");
    }

    /** The sockets this JVM has open, as their /proc/self/fd links ({@code socket:[inode]}). */
    private static Set<String> openSockets() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    return ""; // the descriptor of the listing itself, closed meanwhile
                }
            }).filter(link -> link.startsWith("socket:")).collect(Collectors.toSet());
        }
    }

    @Test
    void aManagedMapIsAMapInInsertionOrder() {
        ManagedMap<String, Integer> d = manager.map(Map.of("a", 1));
        assertNull(d.put("b", 2));
        assertEquals(2, d.put("b", 3));
        assertEquals(3, d.get("b"));
        assertEquals(2, d.size());
        assertTrue(d.containsKey("a"));
        assertTrue(d.containsValue(3));
        assertEquals(7, d.getOrDefault("z", 7));
        assertEquals(1, d.putIfAbsent("a", 9));
        assertFalse(d.remove("a", 2));
        assertTrue(d.replace("a", 1, 4));
        assertEquals(4, d.replace("a", 5));
        assertEquals(6, d.merge("a", 1, Integer::sum));
        assertEquals(10, d.compute("c", (k, v) -> v == null ? 10 : v + 1));
        assertEquals(10, d.computeIfAbsent("c", k -> 99));
        assertEquals(11, d.computeIfPresent("c", (k, v) -> v + 1));
        d.replaceAll((k, v) -> v * 2);
        assertEquals(new LinkedHashMap<>(Map.of("a", 12, "b", 6, "c", 22)), d);
        assertEquals("{a=12, b=6, c=22}", d.toString());
        assertEquals(List.of("a", "b", "c"), new ArrayList<>(d.keySet()));
        assertEquals(List.of(12, 6, 22), new ArrayList<>(d.values()));
        assertEquals(12, d.remove("a"));
        d.putAll(Map.of("x", 0));
        assertEquals(Map.of("b", 6, "c", 22, "x", 0), d.copy());
        d.clear();
        assertTrue(d.isEmpty());
    }

    @Test
    void valuesAreCopiedInAndOut() {
        ManagedMap<String, List<Integer>> d = manager.map(null);
        List<Integer> local = new ArrayList<>(List.of(1));
        d.put("k", local);
        local.add(2);
        assertEquals(List.of(1), d.get("k"));
        List<Integer> got = d.get("k");
        got.add(3);
        assertEquals(List.of(1), d.get("k"));
        d.put("k", got);
        assertEquals(List.of(1, 3), d.get("k"));
        Iterator<String> keys = d.keySet().iterator();
        keys.next();
        assertThrows(UnsupportedOperationException.class, keys::remove);
    }

    @Test
    void aManagedListIsAList() {
        ManagedList<Integer> l = manager.list(List.of(5, 3));
        assertTrue(l.add(4));
        l.add(0, 9);
        assertEquals(List.of(9, 5, 3, 4), l);
        assertEquals(5, l.set(1, 1));
        assertEquals(1, l.get(1));
        assertEquals(2, l.indexOf(3));
        assertTrue(l.contains(4));
        assertEquals(9, l.remove(0));
        assertTrue(l.remove((Integer) 4));
        assertTrue(l.addAll(List.of(7, 8)));
        assertTrue(l.addAll(0, List.of(2)));
        l.sort(null);
        assertEquals(List.of(1, 2, 3, 7, 8), l.copy());
        l.replaceAll((UnaryOperator<Integer> & Serializable) x -> x * 10);
        assertTrue(l.removeIf((Predicate<Integer> & Serializable) x -> x > 50));
        assertEquals(List.of(10, 20, 30), l.subList(0, 3));
        assertArrayEquals(new Integer[] {10, 20, 30}, l.toArray(new Integer[0]));
        assertEquals(60, l.stream().mapToInt(Integer::intValue).sum());
        assertTrue(l.retainAll(List.of(10, 30)));
        assertTrue(l.removeAll(List.of(10)));
        assertEquals("[30]", l.toString());
        Iterator<Integer> it = l.iterator();
        it.next();
        assertThrows(UnsupportedOperationException.class, it::remove);
        l.clear();
        assertEquals(0, l.size());
    }

    @Test
    void aManagedNamespaceHoldsNamedValues() {
        ManagedNamespace ns = manager.namespace();
        ns.set("x", 1);
        ns.set("label", "run");
        int x = ns.get("x");
        assertEquals(1, x);
        assertTrue(ns.has("label"));
        assertEquals("none", ns.getOrDefault("y", "none"));
        assertEquals("Namespace(x=1, label=run)", ns.toString());
        ns.remove("x");
        assertEquals(Map.of("label", "run"), ns.copy());
        NoSuchElementException missing = assertThrows(NoSuchElementException.class, () -> ns.get("x"));
        assertTrue(missing.getMessage().contains("'x'"), missing.getMessage());
        assertThrows(NoSuchElementException.class, () -> ns.remove("x"));
    }

    @Test
    void mergeLosesNoUpdateUnderContention() throws Exception {
        ManagedMap<String, Integer> d = manager.map(null);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                tasks.add(() -> {
                    for (int i = 0; i < 500; i++) {
                        d.merge("n", 1, Integer::sum);
                    }
                    return null;
                });
            }
            for (Future<Void> done : threads.invokeAll(tasks)) {
                done.get();
            }
        } finally {
            threads.shutdown();
        }
        assertEquals(2000, d.get("n"));
    }

    @Test
    void serverExceptionsComeBackAsTheirOwnType() {
        ManagedList<Integer> l = manager.list(null);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> l.get(3));
        assertTrue(e.getSuppressed()[0].getMessage().contains("raised by the manager at 127.0.0.1:" + manager.port()),
                e.getSuppressed()[0].getMessage());
        ManagedMap<String, Integer> d = manager.map(null);
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> d.compute("k", (k, v) -> {
                    throw new IllegalArgumentException("no " + k);
                }));
        assertEquals("no k", thrown.getMessage());
        assertFalse(d.containsKey("k"));
    }

    @Test
    void whatCannotBeSentFailsAtTheCallNamingThePath() {
        ManagedMap<Object, Object> d = manager.map(null);
        NotSendableException value = assertThrows(NotSendableException.class, () -> d.put("k", List.of(1, new Thread())));
        assertEquals("value[1]", value.path());
        NotSendableException key = assertThrows(NotSendableException.class, () -> d.put(new Thread(), 1));
        assertEquals("key", key.path());
        Map<Object, Object> plain = d;
        BiFunction<Object, Object, Object> notSerializable = (a, b) -> a;
        NotSendableException function = assertThrows(NotSendableException.class, () -> plain.merge("k", 1, notSerializable));
        assertEquals("function", function.name());
        NotSendableException result = assertThrows(NotSendableException.class,
                () -> d.compute("k", (k, v) -> new Thread()));
        assertEquals("function result", result.name());
        assertFalse(d.containsKey("k"));
        assertThrows(NotSendableException.class, () -> manager.map(Map.of("k", new Thread())));
    }

    @Test
    void aFunctionTheManagerRunsCannotCallAManager() {
        ManagedMap<String, Integer> d = manager.map(null);
        ManagedList<Integer> other = manager.list(null);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> d.compute("k", (k, v) -> other.size()));
        assertTrue(e.getMessage().contains("would wait for itself"), e.getMessage());
    }

    @Test
    void proxiesTravelThroughTheCodecByReference() {
        ManagedMap<String, Integer> d = manager.map(null);
        ValueCodec codec = new ValueCodec(LOADER);
        @SuppressWarnings("unchecked")
        List<ManagedMap<String, Integer>> received = (List<ManagedMap<String, Integer>>) codec.decode(
                codec.encode(List.of(d, d), "proxies"));
        received.get(0).put("via", 1);
        assertEquals(1, d.get("via"));
        assertEquals(d, received.get(1));
        ManagedMap<String, Object> outer = manager.map(null);
        outer.put("inner", d);
        @SuppressWarnings("unchecked")
        ManagedMap<String, Integer> inner = (ManagedMap<String, Integer>) outer.get("inner");
        inner.merge("via", 1, Integer::sum);
        assertEquals(2, d.get("via"));
    }

    /**
     * A caller interrupted while the manager runs its long function gets a CancellationException (within the
     * 0.2 s it checks); the function finishes on the server, and the proxy keeps working.
     */
    @Test
    void aWaitingCallerCanBeInterrupted() throws Exception {
        ManagedMap<String, Integer> d = manager.map(null);
        try (SharedInt started = Shared.intValue(0); SharedInt release = Shared.intValue(0)) {
            CompletableFuture<Throwable> failure = new CompletableFuture<>();
            Thread caller = new Thread(() -> {
                try {
                    d.compute("k", (k, v) -> {
                        started.set(1);
                        while (release.get() == 0) {
                            Thread.onSpinWait();
                        }
                        return 1;
                    });
                    failure.complete(null);
                } catch (RuntimeException e) {
                    failure.complete(e);
                }
            });
            caller.start();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (started.get() == 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(1, started.get(), "the manager never ran the function");
            caller.interrupt();
            assertInstanceOf(CancellationException.class, failure.get());
            release.set(1);
            assertEquals(1, d.merge("k", 0, Integer::sum));
            caller.join();
        }
    }

    @Test
    void aStoppedManagerSaysSo() {
        ManagedMap<String, Integer> d = manager.map(null);
        ManagedNamespace ns = manager.namespace();
        d.put("k", 1);
        manager.close();
        ManagerStoppedException e = assertThrows(ManagerStoppedException.class, () -> d.get("k"));
        assertTrue(e.getMessage().contains("127.0.0.1:" + manager.port() + " (pid " + manager.pid() + ") is stopped"),
                e.getMessage());
        assertThrows(ManagerStoppedException.class, () -> ns.set("x", 1));
        assertThrows(ManagerStoppedException.class, () -> manager.list(null));
        assertTrue(d.toString().endsWith(", stopped>"), d.toString());
    }

    @Test
    void aProxyDecodedAfterItsManagerStoppedSaysSo() {
        ManagedMap<String, Integer> d = manager.map(null);
        ValueCodec codec = new ValueCodec(LOADER);
        byte[] sent = codec.encode(d, "d");
        manager.close();
        @SuppressWarnings("unchecked")
        ManagedMap<String, Integer> late = (ManagedMap<String, Integer>) codec.decode(sent);
        assertThrows(ManagerStoppedException.class, late::size);
    }

    /** Bytes a stranger claims its first frame holds: as in the report, 600 MB. */
    private static final long CLAIMED_BYTES = 600_000_000L;
    /** How long a test waits for the server to close a connection: its 5 s handshake deadline and a margin. */
    private static final int DROP_WAIT_MS = 15_000;

    /**
     * A raw connection to the manager's port that greets as a ZMTP 3.0 DEALER (NULL mechanism) and reads the
     * server's greeting, as any process on this machine can; it knows no secret.
     */
    private Socket stranger(boolean greet) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), manager.port()), 5000);
        socket.setSoTimeout(DROP_WAIT_MS);
        if (greet) {
            byte[] greeting = new byte[64];
            greeting[0] = (byte) 0xFF;
            greeting[9] = 0x7F;
            greeting[10] = 3;
            System.arraycopy("NULL".getBytes(StandardCharsets.US_ASCII), 0, greeting, 12, 4);
            byte[] ready = "\5READY\13Socket-Type\0\0\0\6DEALER".getBytes(StandardCharsets.US_ASCII);
            OutputStream out = socket.getOutputStream();
            out.write(greeting);
            out.write(new byte[] {4, (byte) ready.length}); // a short command frame
            out.write(ready);
        }
        assertEquals((byte) 0xFF, socket.getInputStream().readNBytes(64)[0], "the server greets");
        return socket;
    }

    /**
     * Asserts that the server closes this connection (within its handshake deadline), reading what it sends; a
     * {@code SocketTimeoutException} if it does not.
     */
    private static void assertClosedByServer(Socket socket) throws IOException {
        try (socket) {
            socket.getInputStream().readAllBytes();
        } catch (SocketException e) {
            // reset: the server closed the connection with bytes of ours unread
        }
    }

    /** The peak use of the heap's old generation since the last reset: where an array of 600 MB goes. */
    private static long oldGenerationPeak(boolean reset) {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && !pool.getName().contains("Eden") && !pool.getName().contains("Survivor")) {
                if (reset) {
                    pool.resetPeakUsage();
                }
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }

    /**
     * Strangers that claim a 600 MB frame before authenticating are refused and disconnected, and the server
     * allocates nothing for them: twenty claims (12 GB in all, twice this JVM's heap) leave the old generation's
     * peak where it was, and the manager keeps serving.
     */
    @Test
    void aHugeFrameClaimedBeforeAuthenticatingAllocatesNothing() throws IOException {
        ManagedMap<String, Integer> d = manager.map(Map.of("k", 1));
        long refusedBefore = manager.refusedCount();
        long peakBefore = oldGenerationPeak(true);
        List<Socket> strangers = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                Socket stranger = stranger(true);
                strangers.add(stranger);
                stranger.getOutputStream().write(ByteBuffer.allocate(9).put((byte) 2).putLong(CLAIMED_BYTES).array());
            }
            for (Socket stranger : strangers) {
                assertClosedByServer(stranger);
            }
        } finally {
            closeAll(strangers);
        }
        long grown = oldGenerationPeak(false) - peakBefore;
        assertTrue(grown < CLAIMED_BYTES / 4, "the old generation's peak grew by " + grown + " bytes");
        assertEquals(refusedBefore + 20, manager.refusedCount());
        assertEquals(1, d.get("k"));
    }

    /**
     * Connections that never authenticate — silent from the start, or silent after the greeting — take no thread
     * of their own and are closed by the server after its handshake deadline.
     */
    @Test
    void silentPeersTakeNoThreadAndAreDropped() throws IOException {
        ManagedMap<String, Integer> d = manager.map(null);
        d.size(); // every thread the server needs is up
        Set<Thread> serving = Thread.getAllStackTraces().keySet();
        List<Socket> silent = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                silent.add(stranger(i % 2 == 0)); // each was accepted: the server greeted it
            }
            Set<String> added = Thread.getAllStackTraces().keySet().stream().filter(t -> !serving.contains(t))
                    .map(Thread::getName).collect(Collectors.toSet());
            assertEquals(Set.of(), added, "threads started for silent connections");
            for (Socket socket : silent) {
                assertClosedByServer(socket);
            }
        } finally {
            closeAll(silent);
        }
        assertEquals(0, d.size());
        assertEquals(0, manager.refusedCount(), "silence is not a refusal");
    }

    private static void closeAll(List<Socket> sockets) throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    /** A client that holds another secret is refused before it can send a request. */
    @Test
    void aClientWithAnotherSecretIsRefused() {
        ManagedMap<String, Integer> d = manager.map(Map.of("k", 1));
        assertThrows(EOFException.class, () -> WireClient.connectForFrames(manager.port(), PeerAuthentication.newSecret()),
                "the server hangs up instead of proving it holds the secret");
        assertEquals(1, manager.refusedCount());
        assertEquals(1, d.get("k"));
    }

    /**
     * Everything a real client sent on one connection (its handshake and a {@code put}), recorded by a relay and
     * replayed byte for byte on a new connection, is refused: the new connection gets a fresh challenge, which
     * the recorded answer does not answer, so the recorded request is never carried out.
     */
    @Test
    void aRecordedConnectionReplayedIsRefused() throws Exception {
        ManagedMap<String, Integer> d = manager.map(Map.of("k", 1));
        ProxyReference ref = ((ManagedProxy) d).reference();
        ValueCodec codec = new ValueCodec(LOADER);
        byte[] put = Requests.request(1, ref.object(), Op.MAP_PUT, new byte[][] {codec.encode("k", "key"), codec.encode(2, "value")});
        ByteArrayOutputStream recorded = new ByteArrayOutputStream();
        try (ServerSocket relay = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread recorder = new Thread(() -> relayOnce(relay, recorded), "test-relay");
            recorder.start();
            try (WireClient client = WireClient.connectForFrames(relay.getLocalPort(), ref.secret())) {
                client.sendFrame(put);
                assertEquals(1, codec.decode(Requests.readReply(client.receiveFrame()).value()));
            }
            recorder.join();
        }
        assertEquals(2, d.put("k", 1));
        Socket replay = stranger(false);
        replay.getOutputStream().write(recorded.toByteArray());
        assertClosedByServer(replay);
        assertEquals(1, manager.refusedCount());
        assertEquals(1, d.get("k"));
    }

    /** Relays one connection from {@code relay} to the manager, recording what the client sends, until both end. */
    private void relayOnce(ServerSocket relay, ByteArrayOutputStream recorded) {
        try (Socket client = relay.accept(); Socket server = new Socket(InetAddress.getLoopbackAddress(), manager.port())) {
            Thread back = new Thread(() -> copy(server, client, OutputStream.nullOutputStream()), "test-relay-back");
            back.start();
            copy(client, server, recorded);
            back.join();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("the relay failed", e);
        }
    }

    /** Copies what {@code from} sends to {@code to} and to {@code record} until {@code from} ends. */
    private static void copy(Socket from, Socket to, OutputStream record) {
        byte[] buffer = new byte[8192];
        try {
            for (int n = from.getInputStream().read(buffer); n >= 0; n = from.getInputStream().read(buffer)) {
                to.getOutputStream().write(buffer, 0, n);
                record.write(buffer, 0, n);
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // the other end went away first
        }
    }
}
