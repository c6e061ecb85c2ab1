package org.jparallel.api;

import org.jparallel.internal.manager.ManagedProxy;
import org.jparallel.testing.NoSegmentsLeft;
import org.jparallel.testing.TestHosts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * State shared across hosts, on a pool of two workers here, one on {@code alpha} and one on {@code beta}
 * ({@link TestHosts}): a {@link SharedObject} lives in this host's memory, so sending one where a worker on another
 * host may get it fails before anything runs ({@link HostBoundException}, naming it and the pool's manager),
 * while this host's workers keep getting them; the pool's manager is reached from every host, through TLS.
 * (alpha and beta share this machine's /dev/shm, so a refusal here is the rule's, not an accident of mapping.)
 */
@ExtendWith(NoSegmentsLeft.class)
class SharedStateHostsIT {

    private static final List<Integer> HERE = List.of(0, 1);
    private static final List<String> HOSTS = List.of("localhost", "localhost", "alpha", "beta");

    private static TestHosts hosts;
    private static WorkerPool pool;

    @BeforeAll
    static void start() throws InterruptedException {
        hosts = TestHosts.require();
        pool = WorkerPool.builder().sshOption("-F", hosts.sshConfig().toString())
                .workers(2).host("alpha", 1).host("beta", 1).start().awaitReady();
        assertEquals(HOSTS, pool.status().stream().map(WorkerStatus::host).toList());
    }

    @AfterAll
    static void stop() {
        if (pool != null) {
            pool.close();
        }
    }

    @Test
    void aSharedIntCapturedByALambdaIsRefusedBeforeAnythingRunsAndThisHostsWorkersStillGetIt() throws Exception {
        try (SharedInt counter = Shared.intValue(0)) {
            HostBoundException e = assertThrows(HostBoundException.class, () -> pool.apply(counter::incrementAndGet));
            assertEquals("the function.<captured 1>", e.path());
            assertEquals("worker 2 on host alpha", e.receiver());
            assertTrue(e.getMessage().contains("is a SharedInt — it lives in this host's shared memory")
                    && e.getMessage().contains("pool.manager().list(), .dict() or .namespace()"), e.getMessage());
            HostBoundException onBeta = assertThrows(HostBoundException.class,
                    () -> pool.submitOnWorkers(counter::incrementAndGet, List.of(0, 3), RunOptions.defaults()));
            assertEquals("worker 3 on host beta", onBeta.receiver());
            assertEquals(0, counter.get(), "nothing ran");

            List<Integer> seen = pool.submitOnWorkers(counter::incrementAndGet, HERE, RunOptions.defaults()).get();
            assertEquals(List.of(1, 2), seen.stream().sorted().toList());
            assertEquals(2, counter.get(), "this host's workers changed this host's memory");
            List<Long> pids = pool.submitOnWorkers(() -> ProcessHandle.current().pid(), List.of(), RunOptions.defaults())
                    .get();
            assertEquals(pool.status().stream().map(WorkerStatus::pid).toList(), pids, "the pool still runs on every host");
        }
    }

    @Test
    void anInitializerThatCapturesASharedObjectIsRefusedBeforeAnyWorkerStartsIfSomeAreOnAnotherHost() {
        try (SharedInt started = Shared.intValue(0)) {
            HostBoundException e = assertThrows(HostBoundException.class, () -> WorkerPool.builder()
                    .sshOption("-F", hosts.sshConfig().toString()).workers(1).host("beta", 1)
                    .initializer(started::incrementAndGet).start().close());
            assertTrue(e.path().startsWith("initializer.<captured 1>"), e.path()); // the builder wraps it in a lambda
            assertEquals("worker 1 on host beta", e.receiver());
        }
    }

    @Test
    void aSharedQueueInsideAnElementIsRefusedNamingWhereItIs() {
        try (SharedQueue<String> queue = Shared.queue(8)) {
            record Job(int id, SharedQueue<String> out) {
            }
            HostBoundException e = assertThrows(HostBoundException.class,
                    () -> pool.map(job -> job.out().offer("x"), List.of(new Job(1, queue), new Job(2, queue))));
            assertEquals("element[0].out", e.path());
            assertEquals("org.jparallel.api.SharedQueue", e.offendingClass());
            assertEquals(0, queue.size(), "nothing ran");
        }
    }

    @Test
    void aSharedObjectMadeOnAnotherHostCannotComeBackToTheKernel() {
        WorkerException e = assertThrows(WorkerException.class,
                () -> pool.submitOnWorkers(() -> Shared.intValue(7), List.of(2), RunOptions.defaults()).get());
        assertTrue(e.getMessage().contains("worker 2 (pid ") && e.getMessage().contains("result is a SharedInt")
                && e.getMessage().contains(", on another host, cannot map"), e.getMessage());
    }

    @Test
    void aManagersListAndDictFilledFromWorkersOnEveryHostHoldEveryEntry() throws Exception {
        ManagedList<String> seen = pool.manager().list();
        ManagedMap<Integer, String> byIndex = pool.manager().dict();
        List<String> mine = pool.submitOnWorkers(() -> {
            String me = Long.toString(ProcessHandle.current().pid());
            seen.add(me);
            byIndex.put(WorkerIdentity.current().index(), me);
            return me;
        }, List.of(), RunOptions.defaults()).get();
        assertEquals(4, mine.size());
        assertEquals(mine.stream().sorted().toList(), new ArrayList<>(seen).stream().sorted().toList());
        Map<Integer, String> expected = new TreeMap<>();
        for (int i = 0; i < mine.size(); i++) {
            expected.put(i, mine.get(i));
        }
        assertEquals(expected, new TreeMap<>(byIndex));
        for (int i = 0; i < 4; i++) {
            String netns = i < 2 ? "" : hosts.netns(HOSTS.get(i));
            assertEquals(netns, netnsOf(Long.parseLong(mine.get(i))), "worker " + i + "'s namespace");
        }
        // the manager listens where each host dials the kernel, through TLS alone: a plaintext peer gets nothing
        List<InetSocketAddress> tls = ((ManagedProxy) seen).reference().tls();
        assertEquals(List.of(hosts.kernelAddress("alpha"), hosts.kernelAddress("beta")),
                tls.stream().map(InetSocketAddress::getAddress).toList());
        try (Socket plain = new Socket(tls.get(0).getAddress(), tls.get(0).getPort())) {
            plain.setSoTimeout(10_000);
            plain.getOutputStream().write(new byte[]{(byte) 0xff, 0, 0, 0, 0, 0, 0, 0, 1, 0x7f, 3, 0});
            byte[] answer = plain.getInputStream().readNBytes(64);
            assertTrue(answer.length < 12 || answer[0] != (byte) 0xff,
                    "the manager's TLS port answered a plaintext ZMTP greeting with one");
        } catch (SocketException refused) {
            // reset: refused too
        }
    }

    @Test
    void aManagerOfThisHostAloneIsRefusedToAnotherHost() {
        try (Manager local = Manager.start()) {
            ManagedList<Integer> list = local.list();
            HostBoundException e = assertThrows(HostBoundException.class, () -> pool.apply(() -> list.add(1)));
            assertTrue(e.getMessage().contains("pool.manager()"), e.getMessage());
            assertEquals(List.of(true, true), pool.submitOnWorkers(() -> list.add(1), HERE, RunOptions.defaults()).get()
                    .stream().toList());
            assertEquals(List.of(1, 1), new ArrayList<>(list));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** The network namespace of a process, as {@code ip netns identify} names it ("" for the machine's own). */
    private static String netnsOf(long pid) {
        return TestHosts.run("ip", "netns", "identify", Long.toString(pid)).strip();
    }
}
