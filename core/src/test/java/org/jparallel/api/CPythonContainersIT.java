package org.jparallel.api;

import org.jparallel.internal.shm.SharedMemory;
import org.jparallel.testing.PoolPerClass;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CPython's {@code _TestContainers}, the list, dict and namespace cases of {@code TestSyncManagerTypes},
 * {@code _TestManagerRestart} and {@code _TestRemoteManager}'s refusal of what cannot be sent, ported to
 * {@link Manager} proxies used here and in a worker of one shared POOL.get(). See docs/cpython-checklist.md.
 */
class CPythonContainersIT {

    private static final Duration LIMIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final PoolPerClass POOL = new PoolPerClass(1);
    private static Manager manager;

    @BeforeAll
    static void start() {
        manager = Manager.start();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().collect(Collectors.toList());
    }

    @Test // _TestContainers.test_list
    void aManagedListIsAListAndHoldsOtherManagedListsByReference() {
        ManagedList<Object> a = manager.list(range(0, 10));
        assertEquals(range(0, 10), a.copy());
        ManagedList<Object> b = manager.list();
        assertEquals(List.of(), b.copy());
        b.addAll(range(0, 5));
        assertEquals(range(0, 5), b.copy());
        assertEquals(2, b.get(2));
        assertEquals(List.of(2, 3, 4), b.subList(2, 5)); // a copy, as a slice
        b.addAll(b.copy()); // b *= 2
        assertEquals(List.of(0, 1, 2, 3, 4, 0, 1, 2, 3, 4), b.copy());
        List<Object> plus = new ArrayList<>(b); // b + [5, 6] is a plain list
        plus.addAll(List.of(5, 6));
        assertEquals(12, plus.size());
        assertEquals(10, b.size());

        ManagedList<ManagedList<Object>> e = manager.list(List.of(a, b));
        assertEquals(List.of(range(0, 10), List.of(0, 1, 2, 3, 4, 0, 1, 2, 3, 4)),
                e.copy().stream().map(ManagedList::copy).collect(Collectors.toList()));
        ManagedList<ManagedList<Object>> f = manager.list(List.of(a));
        a.add("hello");
        assertEquals("hello", f.get(0).get(10), "the inner list is the same list, not a copy");
    }

    @Test // test_list_proxy_in_list
    void listsInsideAListAreChangedInPlace() {
        ManagedList<ManagedList<Integer>> a = manager.list(List.of(manager.list(range(0, 3)),
                manager.list(range(0, 3)), manager.list(range(0, 3))));
        a.get(0).set(2, 55);
        assertEquals(List.of(0, 1, 55), a.get(0).copy());
        assertEquals(List.of(0, 1, 2), a.get(1).copy());
        assertEquals(2, a.get(1).remove(2));
        assertEquals(2, a.get(1).size());
        assertEquals(3, a.get(2).size());
    }

    @Test // test_list_iter and test_dict_iter: iteration is over a snapshot (CPython's proxies read live)
    void iteratorsReadASnapshotTakenWhenTheyStart() {
        ManagedList<Integer> a = manager.list(range(0, 10));
        Iterator<Integer> it = a.iterator();
        a.set(0, 100);
        assertEquals(0, it.next());
        List<Integer> rest = new ArrayList<>();
        it.forEachRemaining(rest::add);
        assertEquals(range(1, 10), rest);
        assertFalse(it.hasNext(), "exhausted");

        ManagedMap<Integer, String> d = manager.dict();
        IntStream.range(65, 70).forEach(i -> d.put(i, Character.toString(i)));
        Iterator<Integer> keys = d.keySet().iterator();
        d.clear();
        assertEquals(65, keys.next(), "CPython raises here: the dict changed size during iteration");
    }

    @Test // _TestContainers.test_dict
    void aManagedDictHasItsKeysValuesAndEntries() {
        ManagedMap<Integer, String> d = manager.dict();
        List<Integer> indices = range(65, 70);
        indices.forEach(i -> d.put(i, Character.toString(i)));
        assertEquals(indices.stream().collect(Collectors.toMap(i -> i, i -> Character.toString(i))), d.copy());
        assertEquals(indices, d.keySet().stream().sorted().collect(Collectors.toList()));
        assertEquals(List.of("A", "B", "C", "D", "E"), d.values().stream().sorted().collect(Collectors.toList()));
        assertEquals(5, d.entrySet().size());
    }

    @Test // test_dict_proxy_nested
    void dictsInsideADictAreTheSameDicts() {
        ManagedMap<String, Integer> pets = manager.dict(Map.of("ferrets", 2, "hamsters", 4));
        ManagedMap<String, Integer> supplies = manager.dict(Map.of("water", 10, "feed", 3));
        ManagedMap<String, ManagedMap<String, Integer>> d = manager.dict(Map.of("pets", pets, "supplies", supplies));
        assertEquals(10, d.get("supplies").get("water"));
        d.get("supplies").put("blankets", 5);
        assertEquals(5, supplies.get("blankets"));
        d.get("supplies").put("water", 7);
        assertEquals(7, supplies.get("water"));
        assertEquals(2, d.get("pets").get("ferrets"));

        d.clear();
        assertEquals(0, d.size());
        assertEquals(7, supplies.get("water"), "clearing the outer dict leaves the inner ones");
        assertEquals(4, pets.get("hamsters"));

        ManagedList<ManagedMap<String, Integer>> l = manager.list(List.of(pets, supplies));
        l.get(0).put("marmots", 1);
        assertEquals(1, pets.get("marmots"));
        assertEquals(1, l.get(0).get("marmots"));
        ManagedList<Object> outer = manager.list(List.of(List.of(88, 99), l));
        assertFalse(outer.get(0) instanceof ManagedList, "a plain list inside stays a plain list");
        @SuppressWarnings("unchecked")
        ManagedList<ManagedMap<String, Integer>> inner = (ManagedList<ManagedMap<String, Integer>>) outer.get(1);
        assertEquals(3, inner.get(1).get("feed"));
    }

    @Test // test_nested_queue: a queue inside a managed list or dict is the same queue
    void aSharedQueueInsideAManagedListOrDictIsTheSameQueue() {
        try (SharedQueue<Integer> q1 = Shared.queue(); SharedQueue<Integer> q2 = Shared.queue()) {
            ManagedList<SharedQueue<Integer>> a = manager.list();
            a.add(q1);
            a.get(0).put(123);
            assertEquals(123, a.get(0).get(LIMIT));
            ManagedMap<Integer, SharedQueue<Integer>> b = manager.dict();
            b.put(0, q2);
            b.get(0).put(456);
            assertEquals(456, q2.get(LIMIT));
        }
        assertEquals(List.of(), SharedMemory.segmentsCreatedBy(ProcessHandle.current().pid()));
    }

    @Test // _TestContainers.test_namespace
    void aNamespaceHoldsNamesUntilTheyAreRemoved() {
        ManagedNamespace n = manager.namespace();
        n.set("name", "Bob");
        n.set("job", "Builder");
        n.set("_hidden", "hidden");
        assertEquals("Bob Builder", n.<String>get("name") + " " + n.<String>get("job"));
        n.remove("job");
        assertTrue(n.has("name"));
        assertFalse(n.has("job"));
        assertThrows(NoSuchElementException.class, () -> n.get("job"));
        assertEquals(Map.of("name", "Bob", "_hidden", "hidden"), n.copy());
    }

    @Test // TestSyncManagerTypes.test_list
    void aWorkerUsesAManagedListAndTheCallerSeesTheResult() throws Exception {
        ManagedList<Integer> o = manager.list();
        o.add(5);
        String seen = POOL.get().applyAsync(() -> {
            StringBuilder s = new StringBuilder();
            s.append(o.get(0)).append(' ').append(o.indexOf(5)).append(' ');
            o.add(7);
            o.addAll(o.copy()); // obj *= 2
            s.append(o.copy()).append(' ');
            List<Integer> doubled = new ArrayList<>(o);
            doubled.addAll(o);
            o.addAll(doubled);
            o.sort(Comparator.<Integer>naturalOrder());
            s.append(o.size()).append(' ').append(o.get(o.size() - 1)).append(' ').append(o.remove(0));
            o.clear();
            return s.toString();
        }).get(LIMIT);
        assertEquals("5 0 [5, 7, 5, 7] 12 7 5", seen);
        assertEquals(0, o.size());
    }

    @Test // TestSyncManagerTypes.test_dict
    void aWorkerUsesAManagedDictAndTheCallerSeesTheResult() throws Exception {
        ManagedMap<String, Integer> o = manager.dict();
        o.put("foo", 5);
        String seen = POOL.get().applyAsync(() -> {
            StringBuilder s = new StringBuilder();
            s.append(o.size()).append(' ').append(o.get("foo")).append(' ').append(o.keySet()).append(' ');
            o.putAll(Map.of("bar", 6));
            s.append(o.copy()).append(' ');
            o.putIfAbsent("bar", 0);
            o.merge("bar", 1, Integer::sum);
            s.append(o.remove("bar"));
            o.clear();
            return s.toString();
        }).get(LIMIT);
        assertEquals("1 5 [foo] {foo=5, bar=6} 7", seen);
        assertEquals(0, o.size());
    }

    @Test // TestSyncManagerTypes.test_namespace
    void aWorkerReadsANamespace() throws Exception {
        ManagedNamespace o = manager.namespace();
        o.set("x", 0);
        o.set("y", 1);
        assertEquals("0 1", POOL.get().applyAsync(() -> o.<Integer>get("x") + " " + o.<Integer>get("y")).get(LIMIT));
    }

    @Test // _TestRemoteManager.test_remote: a value that cannot be sent is refused at the call
    void aValueThatCannotBeSentIsRefusedAndTheProxyStaysUsable() {
        ManagedList<Object> queue = manager.list();
        assertThrows(NotSendableException.class, () -> queue.add(Thread.currentThread()));
        queue.add("hello world");
        assertEquals(List.of("hello world"), queue.copy());
    }

    @Test // _TestManagerRestart.test_rapid_restart
    void managersStartAndStopInQuickSuccession() {
        for (int i = 0; i < 20; i++) {
            Manager m = Manager.start();
            ManagedList<String> l = m.list();
            l.add("hello world");
            assertEquals("hello world", l.get(0));
            m.close();
            assertTrue(m.isClosed());
            assertThrows(ManagerStoppedException.class, () -> l.get(0));
        }
    }

    @Test // TestManagerExceptions.test_queue_get: a server-side exception comes back as itself
    void aServerSideExceptionComesBackAsItsOwnType() {
        ManagedList<Integer> l = manager.list(List.of(1));
        assertInstanceOf(IndexOutOfBoundsException.class, assertThrows(RuntimeException.class, () -> l.get(5)));
    }
}
