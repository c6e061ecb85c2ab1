package org.jparallel.internal.manager;

import org.jparallel.api.ManagedList;
import org.jparallel.api.ManagedMap;
import org.jparallel.api.ManagedNamespace;
import org.jparallel.api.Manager;
import org.jparallel.api.ManagerStoppedException;
import org.jparallel.api.SerialFunction;
import org.jparallel.api.WorkerIdentity;
import org.jparallel.api.WorkerPool;
import org.jparallel.api.WorkerProcess;
import org.jparallel.api.WorkerStatus;
import org.jparallel.internal.codec.ValueCodec;
import org.jparallel.internal.wire.PeerAuthentication;
import org.jparallel.internal.wire.WireClient;
import org.jparallel.testing.PoolPerClass;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Managers used from real worker JVMs: a dict every worker fills, a list two workers append to, a merge
 * counter under contention, a namespace set by a {@code WorkerProcess}, a POOL.get()-owned manager closed with its
 * POOL.get(), and a worker without the secret refused.
 */
class ManagerPoolIT {

    private static final List<Integer> TEN = IntStream.range(0, 10).boxed().collect(Collectors.toList());

    @RegisterExtension
    static final PoolPerClass POOL = new PoolPerClass(2);
    private static RealManager manager;

    @BeforeAll
    static void start() {
        manager = RealManager.start(ManagerPoolIT.class.getClassLoader());
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    /** Runs one task per element, one element per task; checks that both workers took part. */
    private static void onBothWorkers(List<Integer> elements, SerialFunction<Integer, Long> task) {
        Set<Long> pids = Set.copyOf(POOL.get().map(task, elements, 1));
        assertEquals(2, pids.size(), "two workers took part: " + pids);
    }

    @Test
    void everyWorkerAddsToAManagedDict() {
        ManagedMap<Integer, Long> byTask = manager.map(null);
        onBothWorkers(TEN, i -> {
            long pid = WorkerIdentity.current().pid();
            byTask.put(i, pid);
            return pid;
        });
        assertEquals(Set.copyOf(TEN), byTask.keySet());
        Set<Long> workers = POOL.get().status().stream().map(WorkerStatus::pid).collect(Collectors.toSet());
        assertTrue(workers.containsAll(byTask.values()), byTask + " vs " + workers);
    }

    @Test
    void twoWorkersAppendToAManagedList() {
        ManagedList<Integer> list = manager.list(null);
        onBothWorkers(TEN, i -> {
            list.add(i);
            list.add(100 + i);
            return WorkerIdentity.current().pid();
        });
        List<Integer> appended = new ArrayList<>(list);
        appended.sort(null);
        List<Integer> expected = new ArrayList<>(TEN);
        TEN.forEach(i -> expected.add(100 + i));
        assertEquals(expected, appended);
    }

    @Test
    void aMergeCounterIsExactUnderContention() {
        ManagedMap<String, Integer> counts = manager.map(null);
        onBothWorkers(List.of(0, 1, 2, 3), i -> {
            for (int n = 0; n < 250; n++) {
                counts.merge("n", 1, Integer::sum);
                counts.merge("task " + i, 1, Integer::sum);
            }
            return WorkerIdentity.current().pid();
        });
        assertEquals(1000, counts.get("n"));
        assertEquals(Map.of("n", 1000, "task 0", 250, "task 1", 250, "task 2", 250, "task 3", 250), counts.copy());
    }

    @Test
    void aWorkerProcessTargetSetsANamespace() throws InterruptedException {
        ManagedNamespace ns = manager.namespace();
        WorkerProcess process = WorkerProcess.start(() -> ns.set("pid", WorkerIdentity.current().pid()));
        process.join();
        assertEquals(0, process.exitCode().orElseThrow());
        long pid = ns.get("pid");
        assertEquals(process.pid(), pid);
    }

    @Test
    void aPoolOwnedManagerIsClosedWithItsPool() throws InterruptedException {
        WorkerPool own = WorkerPool.start(1).awaitReady();
        Manager owned = own.manager();
        assertTrue(owned == own.manager());
        ManagedMap<String, Integer> d = owned.dict();
        own.apply(() -> d.put("from", 1));
        assertEquals(1, d.get("from"));
        own.close();
        own.join();
        assertTrue(owned.isClosed());
        assertThrows(ManagerStoppedException.class, d::size);
        assertThrows(IllegalStateException.class, own::manager);
    }

    /**
     * A worker that knows the port but not the secret is refused before it can send a request; a connection it
     * opens with the secret is served.
     */
    @Test
    void aWorkerWithoutTheSecretIsRefused() {
        ManagedMap<String, Integer> d = manager.map(Map.of("k", 7));
        ProxyReference ref = ((ManagedProxy) d).reference();
        long refusedBefore = manager.refusedCount();
        Object answer = POOL.get().apply(() -> {
            try (WireClient stranger = WireClient.connectForFrames(ref.port(), PeerAuthentication.newSecret())) {
                return "connected without the secret";
            } catch (IOException e) {
                // refused, as it should be
            }
            ValueCodec codec = new ValueCodec(ManagerPoolIT.class.getClassLoader());
            try (WireClient client = WireClient.connectForFrames(ref.port(), ref.secret())) {
                client.sendFrame(Requests.request(1, ref.object(), Op.MAP_GET, new byte[][] {codec.encode("k", "key")}));
                return codec.decode(Requests.readReply(client.receiveFrame()).value());
            }
        });
        assertEquals(7, answer);
        assertEquals(refusedBefore + 1, manager.refusedCount());
        assertFalse(manager.isClosed());
    }
}
