package org.jparallel.internal.shm;

import org.jparallel.api.SharedEvent;
import org.jparallel.api.WorkerPool;
import org.jparallel.testing.Await;
import org.jparallel.testing.NoSegmentsLeft;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A worker deletes what it created itself, before it ends, when its kernel cannot do it for it: the kernel
 * was killed (the worker's standard input ends), or is frozen (SIGSTOP) while the worker gets SIGTERM or
 * calls {@code System.exit}. What a killed kernel left is deleted when the next pool starts.
 * The kernel is a child JVM ({@link KernelWithWorker}).
 */
@ExtendWith(NoSegmentsLeft.class)
class WorkerExitReleaseIT {

    private static final Duration LIMIT = Duration.ofSeconds(30);

    private final List<Process> kernels = new ArrayList<>();

    @AfterEach
    void nothingLeft() throws InterruptedException {
        for (Process kernel : kernels) {
            kernel.destroyForcibly();
            assertTrue(kernel.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS));
            SharedMemory.deleteLeftBy(kernel.pid());
        }
    }

    /** A kernel whose worker has created its two segments: the kernel, the worker's pid, and the event that makes the worker exit. */
    private record Started(Process kernel, long worker, SharedEvent go) {
    }

    private Started startKernel() throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                KernelWithWorker.class.getName());
        Process kernel = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        kernels.add(kernel);
        String line = new BufferedReader(new InputStreamReader(kernel.getInputStream(), StandardCharsets.UTF_8))
                .readLine();
        assertNotNull(line, "the kernel ended before its worker was ready");
        String[] words = line.split(" ");
        long worker = Long.parseLong(words[0]);
        assertEquals(2, SharedMemory.segmentsCreatedBy(worker).size());
        assertEquals(2, SharedMemory.segmentsCreatedBy(kernel.pid()).size());
        String[] d = words[1].split(":");
        SharedEvent go = (SharedEvent) SharedMemory.open(new Descriptor(Kind.ofCode(Integer.parseInt(d[0])), d[1],
                Integer.parseInt(d[2]), Integer.parseInt(d[3])));
        return new Started(kernel, worker, go);
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertTrue(kill.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(0, kill.exitValue(), "kill -" + signal + " " + pid);
    }

    /** Waits until {@code pid} has ended (a zombie counts as ended: its parent may be stopped). */
    private static void awaitEnd(long pid) {
        Await.until("process " + pid + " ends", LIMIT, () -> !Pids.isAlive(pid));
    }

    @Test
    void aWorkerWhoseKernelIsKilledReleasesWhatItCreatedAndTheNextPoolSweepsTheKernels() throws Exception {
        Started started = startKernel();
        started.go().close();
        started.kernel().destroyForcibly(); // SIGKILL: the kernel cleans nothing; the worker's stdin ends
        assertTrue(started.kernel().waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS));
        awaitEnd(started.worker());
        assertEquals(List.of(), SharedMemory.segmentsCreatedBy(started.worker()), "the worker released its own");
        assertEquals(2, SharedMemory.segmentsCreatedBy(started.kernel().pid()).size(), "left by the killed kernel");

        WorkerPool next = WorkerPool.start(1);
        try {
            assertEquals(List.of(), SharedMemory.segmentsCreatedBy(started.kernel().pid()), "swept at the pool's start");
        } finally {
            next.close();
            next.join();
        }
    }

    @Test
    void aWorkerEndedBySigtermWhileItsKernelIsFrozenReleasesWhatItCreated() throws Exception {
        Started started = startKernel();
        started.go().close();
        signal("STOP", started.kernel().pid()); // the kernel can neither reap nor clean up
        signal("TERM", started.worker());
        awaitEnd(started.worker());
        assertEquals(List.of(), SharedMemory.segmentsCreatedBy(started.worker()));
    }

    @Test
    void aWorkerEndedBySystemExitInATaskWhileItsKernelIsFrozenReleasesWhatItCreated() throws Exception {
        Started started = startKernel();
        signal("STOP", started.kernel().pid());
        started.go().set(); // the task calls System.exit(3)
        started.go().close();
        awaitEnd(started.worker());
        assertEquals(List.of(), SharedMemory.segmentsCreatedBy(started.worker()));
    }
}
