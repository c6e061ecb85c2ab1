package org.jparallel.internal.pool;

import org.jparallel.api.RunOptions;
import org.jparallel.api.RunProgress;
import org.jparallel.api.SerialFunction;
import org.jparallel.api.TaskFailure;
import org.jparallel.internal.code.CodeSource;
import org.jparallel.testing.Await;
import org.jparallel.testing.OnWorker;
import org.jparallel.testing.Pools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Liveness and prompt reports with real worker JVMs: what a run's progress snapshots (what the progress
 * display shows) say while a worker is stopped (SIGSTOP), busy for longer than the liveness limit, or SIGKILLed during a
 * run on every worker. Conditions are polled with a deadline; nothing sleeps to synchronize.
 */
class PoolLivenessIT {

    private static final String DIR_PROPERTY = "jparallel.test.dir";

    @TempDir
    Path dir;

    /** Records a run's progress snapshots, as a display polling it does, and the one taken when asked. */
    private static final class Recorder {
        private final List<RunProgress> progress = new ArrayList<>();
        private final RunHandle<Object> run;

        Recorder(RunHandle<Object> run) {
            this.run = run;
            run.onProgress(Duration.ofMillis(50), this::add);
        }

        private synchronized void add(RunProgress snapshot) {
            progress.add(snapshot);
        }

        synchronized Optional<RunProgress.Worker> row(Predicate<RunProgress.Worker> matching) {
            add(run.progress());
            return progress.stream().flatMap(p -> p.workers().stream()).filter(matching).findFirst();
        }
    }

    private static RealWorkerPool pool(int size, Duration livenessLimit, List<String> jvmOptions) throws InterruptedException {
        RealWorkerPool pool = RealWorkerPool.start(
                new RealWorkerPool.Options(size, jvmOptions, null, 0, livenessLimit), CodeSource.PLAIN);
        try {
            pool.awaitReady(30, TimeUnit.SECONDS);
        } catch (RuntimeException | InterruptedException e) {
            pool.terminate();
            throw e;
        }
        return pool;
    }

    static void signal(String name, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -" + name + " " + pid);
    }

    @Test
    void aStoppedWorkerIsShownSilentThenKilledAndTheTaskQueuedBehindItRunsElsewhere() throws Exception {
        Path marker = dir.resolve("running");
        String markerText = marker.toString();
        RealWorkerPool pool = pool(2, Duration.ofSeconds(4), List.of());
        long stopped = 0;
        try {
            long worker0 = pool.status().get(0).pid();
            // four single-element tasks handed out at once: worker 0 holds 0 (running) and 2 (queued behind it)
            SerialFunction<Integer, Long> f = x -> {
                if (x == 0) {
                    OnWorker.publish(Path.of(markerText), Long.toString(ProcessHandle.current().pid()));
                    while (true) {
                        OnWorker.sleep(10); // until the worker is stopped, and then killed
                    }
                }
                return ProcessHandle.current().pid();
            };
            RunHandle<Object> run = pool.submit(f, List.of(0, 1, 2, 3).iterator(), 4, RunOptions.defaults().chunkSize(1));
            Recorder recorder = new Recorder(run);
            Await.until("element 0 to start", Duration.ofSeconds(30), () -> Files.exists(marker));
            stopped = Long.parseLong(Files.readString(marker).trim());
            assertEquals(worker0, stopped);
            signal("STOP", stopped);

            long pid = stopped;
            Await.until("the display to hear that worker 0 is not answering", Duration.ofSeconds(30),
                    () -> recorder.row(w -> w.pid() == pid && w.state() == RunProgress.State.SILENT
                            && !w.silentFor().isZero()).isPresent());
            Await.until("the pool's status to show worker 0 as silent", Duration.ofSeconds(10),
                    () -> pool.status().get(0).state().equals("silent"));
            assertFalse(run.isDone());
            assertTrue(run.waitFor(Duration.ofSeconds(60)));

            List<TaskFailure> failures = run.failures();
            assertEquals(1, failures.size(), failures.toString());
            TaskFailure failure = failures.get(0);
            assertEquals(TaskFailure.Kind.WORKER_UNRESPONSIVE, failure.kind());
            assertEquals(0, failure.element());
            assertEquals(stopped, failure.pid());
            assertTrue(failure.message().contains("liveness limit 4.0 s"), failure.message());
            List<Object> results = run.results();
            assertEquals(4, results.size(), results.toString());
            assertNull(results.get(0), "element 0 failed");
            assertFalse(results.subList(1, 4).contains(null), results.toString());
            assertFalse(results.contains(stopped), "element 2 ran elsewhere: " + results);
            assertTrue(recorder.row(w -> w.pid() == pid && w.state() == RunProgress.State.DEAD).isPresent());
            Await.until("the stopped worker to be gone", Duration.ofSeconds(10), () -> Pools.gone(pid));
            Await.until("a replacement for worker 0", Duration.ofSeconds(30), () -> pool.status().get(0).pid() != pid
                    && pool.status().get(0).state().equals("idle"));
        } finally {
            if (stopped != 0 && !Pools.gone(stopped)) {
                signal("CONT", stopped);
            }
            pool.terminate();
        }
    }

    @Test
    void aTaskLongerThanTheLimitIsBusyNotSilent() throws Exception {
        RealWorkerPool pool = pool(1, Duration.ofSeconds(2), List.of());
        try {
            long pid = pool.status().get(0).pid();
            // the task's own thread is blocked, as in a long native call; the heartbeat thread is not
            SerialFunction<Integer, Long> f = x -> {
                OnWorker.sleep(10);
                try {
                    Thread.sleep(5000);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return ProcessHandle.current().pid();
            };
            RunHandle<Object> run = pool.submit(f, List.of(1).iterator(), 1, RunOptions.defaults());
            Recorder recorder = new Recorder(run);
            assertEquals(List.of(pid), run.get(Duration.ofSeconds(60)));
            assertTrue(recorder.row(w -> !w.runningFor().isZero()).isPresent(), "its running time is shown");
            assertFalse(recorder.row(w -> w.state() == RunProgress.State.SILENT || !w.silentFor().isZero()).isPresent(),
                    "never shown as silent");
            assertEquals(pid, pool.status().get(0).pid());
        } finally {
            pool.terminate();
        }
    }

    /** A {@code %%parallel} cell's snippet: says it started, then waits for the gate; on every worker. */
    public static final class GatedSnippet {
        private GatedSnippet() {
        }

        @SuppressWarnings("unused") // called by the worker, by name
        static Object do_it$() {
            Path dir = Path.of(System.getProperty(DIR_PROPERTY));
            String index = System.getProperty("jparallel.worker.index");
            OnWorker.publish(dir.resolve("started-" + index), Long.toString(ProcessHandle.current().pid()));
            while (!Files.exists(dir.resolve("gate"))) {
                OnWorker.sleep(10);
            }
            return index;
        }
    }

    @Test
    void aWorkerKilledDuringARunOnEveryWorkerIsReportedWhileTheOthersStillRun() throws Exception {
        RealWorkerPool pool = pool(2, null, List.of("-D" + DIR_PROPERTY + "=" + dir));
        try {
            RunHandle<Object> run = pool.submitSnippets(List.of(GatedSnippet.class.getName()), true, List.of(),
                    RunOptions.defaults());
            Recorder recorder = new Recorder(run);
            Await.until("both workers to run the snippet", Duration.ofSeconds(30),
                    () -> Files.exists(dir.resolve("started-0")) && Files.exists(dir.resolve("started-1")));
            long victim = Long.parseLong(Files.readString(dir.resolve("started-1")).trim());
            assertTrue(ProcessHandle.of(victim).orElseThrow().destroyForcibly());

            Await.until("worker 1's failure and its end to be reported", Duration.ofSeconds(30),
                    () -> !run.failures().isEmpty()
                            && recorder.row(w -> w.pid() == victim && w.state() == RunProgress.State.DEAD).isPresent());
            assertFalse(run.isDone(), "worker 0 is still at the gate");
            assertFalse(Files.exists(dir.resolve("gate")));
            TaskFailure failure = run.failures().get(0);
            assertEquals(TaskFailure.Kind.WORKER_DIED, failure.kind());
            assertEquals(1, failure.worker());
            assertEquals(victim, failure.pid());

            Files.writeString(dir.resolve("gate"), "open");
            assertTrue(run.waitFor(Duration.ofSeconds(60)));
            assertEquals(List.of(failure), run.failures());
            assertEquals(Arrays.asList("0", null), run.results());
            assertNotEquals(victim, pool.status().get(1).pid());
        } finally {
            pool.terminate();
        }
    }
}
