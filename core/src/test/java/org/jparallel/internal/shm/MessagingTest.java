package org.jparallel.internal.shm;

import org.jparallel.api.ItemTooLargeException;
import org.jparallel.api.NotSendableException;
import org.jparallel.api.PipeClosedException;
import org.jparallel.api.QueueEmptyException;
import org.jparallel.api.QueueFullException;
import org.jparallel.api.Shared;
import org.jparallel.api.SharedConnection;
import org.jparallel.api.SharedInt;
import org.jparallel.api.SharedJoinableQueue;
import org.jparallel.api.SharedPipe;
import org.jparallel.api.SharedQueue;
import org.jparallel.api.SharedSimpleQueue;
import org.jparallel.testing.FreshThreads;
import org.jparallel.testing.NoSegmentsLeft;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Queues and pipes within one JVM: threads as producers and consumers, every way an operation can fail. */
@ExtendWith(NoSegmentsLeft.class)
class MessagingTest {

    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final Duration SHORT = Duration.ofMillis(20);

    record Job(int id, List<String> words) {
    }

    /** Holds a stream: cannot be sent. */
    record Logged(String text, PrintStream log) {
    }

    @Test
    void itemsComeOutInOrderAndDecodedAsTheyWent() {
        try (SharedQueue<Object> q = Shared.queue()) {
            List<Object> items = List.of(1, "two", 3.0, new Job(4, List.of("a", "b")), Map.of("k", 5L), new int[]{6});
            items.forEach(q::put);
            assertEquals(6, q.size());
            assertFalse(q.isEmpty());
            assertEquals(1, q.get());
            assertEquals("two", q.get());
            assertEquals(3.0, q.get());
            assertEquals(new Job(4, List.of("a", "b")), q.get());
            assertEquals(Map.of("k", 5L), q.get());
            assertEquals(6, ((int[]) q.get())[0]);
            assertTrue(q.isEmpty());
            assertNull(q.poll());
        }
    }

    @Test
    void aSharedObjectInsideAnItemTravelsByReference() {
        try (SharedQueue<SharedInt> q = Shared.queue(); SharedInt counter = Shared.intValue(41)) {
            q.put(counter);
            assertSame(counter, q.get(), "the same object: a descriptor went through the queue, not a copy");
        }
    }

    @Test
    void manyProducersAndConsumersLoseAndDuplicateNothing() throws InterruptedException {
        int each = 20_000;
        ExecutorService threads = Executors.newFixedThreadPool(6);
        try (SharedQueue<Integer> q = Shared.queue(100, 4096)) {
            Map<Integer, Integer> seen = new ConcurrentHashMap<>();
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int p = 0; p < 3; p++) {
                int base = p * each;
                all.add(CompletableFuture.runAsync(() -> IntStream.range(base, base + each).forEach(q::put), threads));
                all.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < each; i++) {
                        seen.merge(q.get(), 1, Integer::sum);
                    }
                }, threads));
            }
            assertTimeoutPreemptively(LIMIT, () -> CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join());
            assertEquals(3 * each, seen.size());
            assertTrue(seen.values().stream().allMatch(n -> n == 1));
            assertTrue(q.isEmpty());
        } finally {
            threads.shutdownNow();
            assertTrue(threads.awaitTermination(1, TimeUnit.MINUTES));
        }
    }

    @Test
    void putWaitsWhileTheQueueHoldsMaxsizeItemsUntilAConsumerTakesOne() throws Exception {
        try (SharedQueue<Integer> q = Shared.queue(2)) {
            q.put(1);
            q.put(2);
            assertTrue(q.isFull());
            assertFalse(q.offer(3), "no room now");
            assertFalse(q.offer(3, SHORT));
            QueueFullException full = assertThrows(QueueFullException.class, () -> q.put(3, SHORT));
            assertTrue(full.getMessage().contains("2 items of at most 2"), full.getMessage());
            CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> q.put(3), FreshThreads.EACH);
            assertEquals(1, q.get()); // makes room: the waiting put goes on
            assertTimeoutPreemptively(LIMIT, () -> blocked.get());
            assertEquals(List.of(2, 3), List.of(q.get(), q.get()));
        }
    }

    @Test
    void getWithATimeoutFailsWhenNothingComesAndPollReturnsNull() {
        try (SharedQueue<String> q = Shared.queue()) {
            QueueEmptyException e = assertThrows(QueueEmptyException.class, () -> q.get(SHORT));
            assertEquals("the queue stayed empty for PT0.02S", e.getMessage());
            assertNull(q.poll(SHORT));
            q.put("x");
            assertEquals("x", q.get(Duration.ZERO));
        }
    }

    @Test
    void anUnsendableItemIsRefusedAtPutNothingIsPutAndTheQueueStaysUsable() {
        try (SharedQueue<Object> q = Shared.queue()) {
            NotSendableException e = assertThrows(NotSendableException.class,
                    () -> q.put(List.of(new Logged("hi", System.out))));
            assertEquals("item", e.name());
            assertEquals("item[0].log", e.path());
            assertTrue(q.isEmpty());
            q.put("fine");
            assertEquals("fine", q.get());
            assertThrows(NullPointerException.class, () -> q.put(null));
        }
    }

    @Test
    void anItemLargerThanTheRingIsRefusedSayingHowToMakeALargerQueue() {
        try (SharedQueue<byte[]> q = Shared.queue(0, 1024)) {
            ItemTooLargeException e = assertThrows(ItemTooLargeException.class, () -> q.put(new byte[2000]));
            assertEquals(1016, e.limit());
            assertTrue(e.size() > 2000);
            assertTrue(e.getMessage().contains("Shared.queue(0, 4"), e.getMessage());
            assertTrue(q.isEmpty());
            q.put(new byte[1000]);
            assertEquals(1000, q.get().length);
        }
    }

    @Test
    void anInterruptedWaitEndsWithACancellation() throws Exception {
        try (SharedQueue<String> q = Shared.queue()) {
            CompletableFuture<Throwable> failure = new CompletableFuture<>();
            Thread waiter = new Thread(() -> {
                try {
                    q.get();
                } catch (Throwable t) {
                    failure.complete(t);
                }
            });
            waiter.start();
            waiter.interrupt();
            assertTimeoutPreemptively(LIMIT, () -> assertTrue(failure.get() instanceof CancellationException));
            waiter.join();
        }
    }

    @Test
    void aJoinableQueueCountsTasksUntilEachIsDone() throws Exception {
        try (SharedJoinableQueue<Integer> q = Shared.joinableQueue()) {
            assertTrue(q.join(Duration.ZERO), "nothing put: nothing to wait for");
            q.put(1);
            q.put(2);
            assertEquals(2, q.unfinishedTasks());
            assertFalse(q.join(SHORT));
            CompletableFuture<Void> joined = CompletableFuture.runAsync(q::join, FreshThreads.EACH);
            q.get();
            q.taskDone();
            q.get();
            assertFalse(joined.isDone() && q.unfinishedTasks() > 0);
            q.taskDone();
            assertTimeoutPreemptively(LIMIT, () -> joined.get());
            IllegalStateException e = assertThrows(IllegalStateException.class, q::taskDone);
            assertTrue(e.getMessage().startsWith("taskDone() was called more times than items were put"));
            assertEquals(0, q.unfinishedTasks());
        }
    }

    @Test
    void aSimpleQueuePutsAndGets() {
        try (SharedSimpleQueue<String> q = Shared.simpleQueue()) {
            assertTrue(q.isEmpty());
            q.put("a");
            q.put("b");
            assertEquals("a", q.get());
            assertEquals("b", q.get());
            assertTrue(q.isEmpty());
            assertFalse(q instanceof SharedQueue<?> && ((RealShared) q).publicType() != SharedSimpleQueue.class);
        }
    }

    @Test
    void aClosedQueueRefusesUse() {
        SharedQueue<String> q = Shared.queue();
        q.close();
        assertTrue(q.isClosed());
        assertThrows(IllegalStateException.class, () -> q.put("x"));
        assertThrows(IllegalStateException.class, q::get);
    }

    // ---- pipes ----

    @Test
    void aDuplexPipeCarriesMessagesBothWaysInOrder() {
        try (SharedPipe<Object> pipe = Shared.pipe()) {
            SharedConnection<Object> a = pipe.first();
            SharedConnection<Object> b = pipe.second();
            assertTrue(pipe.isDuplex() && a.canSend() && a.canReceive() && b.canSend() && b.canReceive());
            a.send("ping");
            a.send(null);
            b.send(List.of(1, 2));
            assertTrue(b.poll());
            assertEquals("ping", b.recv());
            assertNull(b.recv(), "null is a message like any other");
            assertFalse(b.poll());
            assertFalse(b.poll(SHORT));
            assertEquals(List.of(1, 2), a.recv());
        }
    }

    @Test
    void aOneWayPipeReceivesAtTheFirstEndAndSendsFromTheSecond() {
        try (SharedPipe<Integer> pipe = Shared.pipe(false)) {
            SharedConnection<Integer> r = pipe.first();
            SharedConnection<Integer> w = pipe.second();
            assertFalse(pipe.isDuplex());
            assertTrue(r.canReceive() && !r.canSend() && w.canSend() && !w.canReceive());
            assertTrue(assertThrows(UnsupportedOperationException.class, () -> r.send(1)).getMessage()
                    .contains("only receives"));
            assertThrows(UnsupportedOperationException.class, w::recv);
            w.send(1);
            assertEquals(1, r.recv());
        }
    }

    @Test
    void afterTheOtherEndClosesRecvDrainsThenFailsWithEndOfPipe() {
        try (SharedPipe<Integer> pipe = Shared.pipe(false)) {
            SharedConnection<Integer> r = pipe.first();
            SharedConnection<Integer> w = pipe.second();
            w.send(1);
            w.send(2);
            w.close();
            assertTrue(w.isClosed());
            assertThrows(IllegalStateException.class, () -> w.send(3), "this end is closed");
            assertEquals(1, r.recv());
            assertEquals(2, r.recv());
            assertTrue(r.poll(), "recv would not wait");
            PipeClosedException eof = assertThrows(PipeClosedException.class, r::recv);
            assertEquals("the other end of the pipe is closed and everything it sent was received", eof.getMessage());
        }
    }

    @Test
    void aRecvWaitingWhenTheOtherEndClosesEndsWithEndOfPipe() {
        try (SharedPipe<Integer> pipe = Shared.pipe()) {
            CompletableFuture<Throwable> failure = CompletableFuture.supplyAsync(() -> {
                try {
                    return new AssertionError("received " + pipe.first().recv());
                } catch (Throwable t) {
                    return t;
                }
            }, FreshThreads.EACH);
            pipe.second().close();
            assertTimeoutPreemptively(LIMIT, () -> assertTrue(failure.get() instanceof PipeClosedException));
            assertThrows(PipeClosedException.class, () -> pipe.first().send(1), "nobody receives: broken pipe");
        }
    }

    @Test
    void sendWaitsWhileTheRingIsFullUntilTheOtherEndReceives() {
        try (SharedPipe<String> pipe = Shared.pipe(false, 256)) {
            List<String> sent = IntStream.range(0, 100).mapToObj(i -> "message " + i).collect(Collectors.toList());
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> sent.forEach(pipe.second()::send), FreshThreads.EACH);
            List<String> received = new ArrayList<>();
            for (int i = 0; i < sent.size(); i++) {
                received.add(pipe.first().recv());
            }
            assertTimeoutPreemptively(LIMIT, () -> sender.get());
            assertEquals(sent, received);
        }
    }

    @Test
    void anUnsendableMessageIsRefusedAndNothingIsSent() {
        try (SharedPipe<Object> pipe = Shared.pipe()) {
            NotSendableException e = assertThrows(NotSendableException.class,
                    () -> pipe.first().send(new Logged("x", System.err)));
            assertEquals("message.log", e.path());
            assertFalse(pipe.second().poll());
        }
    }
}
