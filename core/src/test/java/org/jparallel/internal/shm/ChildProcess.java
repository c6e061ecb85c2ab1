package org.jparallel.internal.shm;

import org.jparallel.api.SharedBarrier;
import org.jparallel.api.SharedCondition;
import org.jparallel.api.SharedEvent;
import org.jparallel.api.SharedInt;
import org.jparallel.api.SharedIntArray;
import org.jparallel.api.SharedLock;
import org.jparallel.api.SharedLong;
import org.jparallel.api.SharedSemaphore;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A second process for the tests: a JVM that maps segments given as descriptors on its command line
 * and works on them. {@code main(mode, descriptors…)}; a descriptor is {@code kind:path:offset:length}.
 * Modes: {@code locked-increments N value go} and {@code atomic-increments N value go} (say "ready", wait
 * for {@code go} to become 1, then increment {@code value} N times); {@code hold-and-halt lock} (take the
 * lock, say "held", halt without releasing); the synchronization modes below, each described where it is.
 */
public final class ChildProcess {

    private ChildProcess() {
    }

    static String describe(Object shared) {
        Descriptor d = ((RealShared) shared).descriptor();
        return d.kind().code() + ":" + d.path() + ":" + d.offset() + ":" + d.length();
    }

    private static Object open(String text) {
        String[] parts = text.split(":");
        return SharedMemory.open(new Descriptor(Kind.ofCode(Integer.parseInt(parts[0])), parts[1],
                Integer.parseInt(parts[2]), Integer.parseInt(parts[3])));
    }

    /** Starts a child JVM with the test classpath. */
    static Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                ChildProcess.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** The child's first line of output. */
    static String firstLine(Process child) throws IOException {
        return new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)).readLine();
    }

    private static final Duration LIMIT = Duration.ofSeconds(60);

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    /**
     * {@code n} times: take a permit of {@code semaphore}, count the holders inside in {@code inside[0]}
     * (and every time there was more than one in {@code inside[1]}), add 1 to {@code inside[2]} with a plain
     * read and write, leave.
     */
    static void semaphoreRounds(SharedSemaphore semaphore, SharedIntArray inside, int n) {
        for (int i = 0; i < n; i++) {
            try (var permit = semaphore.hold()) {
                if (inside.addAndGet(0, 1) > 1) {
                    inside.addAndGet(1, 1);
                }
                inside.set(2, inside.get(2) + 1);
                inside.addAndGet(0, -1);
            }
        }
    }

    /**
     * Party {@code me} of two, {@code rounds} times: write the round into {@code seen[me]}, wait at the
     * barrier, and check that the other party had written it too; counts the arrival indexes in
     * {@code seen[2 + index]}.
     */
    static void barrierRounds(SharedBarrier barrier, SharedIntArray seen, int me, int rounds) {
        for (int round = 1; round <= rounds; round++) {
            seen.set(me, round);
            int index = barrier.await(LIMIT);
            seen.addAndGet(2 + index, 1);
            if (seen.get(1 - me) < round) {
                throw new AssertionError("passed the barrier of round " + round + " before the other party arrived");
            }
            barrier.await(LIMIT); // nobody writes the next round before both have checked this one
        }
    }

    /**
     * Takes {@code n} numbers from a one-slot buffer {@code box} ([full, number]) guarded by the lock of
     * {@code notEmpty} and {@code notFull}; returns their sum.
     */
    static long consume(SharedCondition notEmpty, SharedCondition notFull, SharedIntArray box, int n) {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            try (var held = notEmpty.hold()) {
                if (!notEmpty.awaitUntil(() -> box.get(0) == 1, LIMIT)) {
                    throw new AssertionError("nothing to take after " + i + " numbers");
                }
                sum += box.get(1);
                box.set(0, 0);
                notFull.signal();
            }
        }
        return sum;
    }

    /** Puts 1 to {@code n} into the one-slot buffer of {@link #consume}. */
    static void produce(SharedCondition notEmpty, SharedCondition notFull, SharedIntArray box, int n) {
        for (int i = 1; i <= n; i++) {
            try (var held = notFull.hold()) {
                if (!notFull.awaitUntil(() -> box.get(0) == 0, LIMIT)) {
                    throw new AssertionError("the box stayed full at " + i);
                }
                box.set(1, i);
                box.set(0, 1);
                notEmpty.signal();
            }
        }
    }

    /**
     * Whether this process has written its pid as a waiting party of {@code barrier}: from then on, its
     * death is noticed by the other parties (before, it is indistinguishable from a slow arrival). Other
     * parties may have arrived before it, so every party's word is looked at.
     */
    public static boolean arrivalRecorded(SharedBarrier barrier) {
        ByteBuffer buffer = ((RealShared) barrier).buffer;
        for (int i = 0; i < barrier.parties(); i++) {
            long arrival = (long) Access.LONG.getVolatile(buffer, SyncLayout.ARRIVALS_AT + 8 * i);
            if ((arrival & 0xFFFF_FFFFL) == Pids.CURRENT) {
                return true;
            }
        }
        return false;
    }

    public static void main(String[] args) {
        switch (args[0]) {
            case "locked-increments", "atomic-increments" -> {
                long n = Long.parseLong(args[1]);
                SharedLong value = (SharedLong) open(args[2]);
                SharedInt go = (SharedInt) open(args[3]);
                System.out.println("ready");
                System.out.flush();
                while (go.get() == 0) {
                    Thread.onSpinWait();
                }
                if (args[0].startsWith("locked")) {
                    for (long i = 0; i < n; i++) {
                        try (var held = value.getLock().hold()) {
                            value.set(value.get() + 1);
                        }
                    }
                } else {
                    for (long i = 0; i < n; i++) {
                        value.incrementAndGet();
                    }
                }
                System.exit(0);
            }
            case "hold-and-halt" -> {
                SharedLock lock = (SharedLock) open(args[1]);
                lock.acquire();
                System.out.println("held");
                System.out.flush();
                Runtime.getRuntime().halt(1);
            }
            case "semaphore-rounds" -> { // N semaphore inside: say "ready", then semaphoreRounds
                SharedSemaphore semaphore = (SharedSemaphore) open(args[2]);
                SharedIntArray inside = (SharedIntArray) open(args[3]);
                say("ready");
                semaphoreRounds(semaphore, inside, Integer.parseInt(args[1]));
                System.exit(0);
            }
            case "barrier-rounds" -> { // N barrier seen: party 1 of barrierRounds
                barrierRounds((SharedBarrier) open(args[2]), (SharedIntArray) open(args[3]), 1, Integer.parseInt(args[1]));
                System.exit(0);
            }
            case "consume" -> { // N notEmpty notFull box sum: consume N numbers, put their sum into sum
                long sum = consume((SharedCondition) open(args[2]), (SharedCondition) open(args[3]),
                        (SharedIntArray) open(args[4]), Integer.parseInt(args[1]));
                ((SharedLong) open(args[5])).set(sum);
                System.exit(0);
            }
            case "event-wait" -> { // event: exit 0 if it is set within a minute, else 2
                SharedEvent event = (SharedEvent) open(args[1]);
                say("waiting");
                System.exit(event.await(LIMIT) ? 0 : 2);
            }
            case "arrive-and-halt" -> { // barrier: a thread arrives first and waits; once its pid is recorded, halt
                SharedBarrier barrier = (SharedBarrier) open(args[1]);
                Thread waiter = new Thread(() -> barrier.await(LIMIT));
                waiter.start();
                while (!arrivalRecorded(barrier)) {
                    Thread.onSpinWait();
                }
                say("waiting");
                Runtime.getRuntime().halt(1);
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}
