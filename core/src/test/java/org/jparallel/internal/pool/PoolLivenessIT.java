package org.jparallel.internal.pool;

import org.jparallel.api.SerialFunction;
import org.jparallel.api.TaskFailure;
import org.jparallel.internal.code.CodeSource;
import org.jparallel.internal.launch.WorkerOutputPrinter;
import org.jparallel.internal.wire.Message;
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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Liveness and prompt reports with real worker JVMs: what a run's listener (the progress display's source)
 * hears while a worker is stopped (SIGSTOP), busy for longer than the liveness limit, or SIGKILLed during a
 * run on every worker. Conditions are polled with a deadline; nothing sleeps to synchronize.
 */
class PoolLivenessIT {

    private static final String DIR_PROPERTY = "jparallel.test.dir";

    @TempDir
    Path dir;

    /** Records a run's progress snapshots, and gathers its results and failures. */
    private static final class Recorder implements RunListener {
        private final List<RunProgress> progress = new ArrayList<>();
        private final Gatherer gathered = new Gatherer(new WorkerOutputPrinter());

        @Override
        public void results(long first, List<Object> values, int worker) {
            gathered.results(first, values, worker);
        }

        @Override
        public void failure(TaskFailure failure) {
            gathered.failure(failure);
        }

        @Override
        public synchronized void progress(RunProgress snapshot) {
            progress.add(snapshot);
        }

        @Override
        public void finished() {
            gathered.finished();
        }

        List<TaskFailure> failures() {
            return gathered.failures();
        }

        List<Object> resultsInElementOrder() {
            return gathered.resultsInElementOrder();
        }

        synchronized Optional<RunProgress.WorkerProgress> row(Predicate<RunProgress.WorkerProgress> matching) {
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
            Recorder recorder = new Recorder();
            Run run = pool.submitFunction(f, Message.CallShape.ONE_ARGUMENT, recorder, false);
            pool.feedAll(run, List.of(0, 1, 2, 3).iterator(), 1);
            Await.until("element 0 to start", Duration.ofSeconds(30), () -> Files.exists(marker));
            stopped = Long.parseLong(Files.readString(marker).trim());
            assertEquals(worker0, stopped);
            signal("STOP", stopped);

            long pid = stopped;
            Await.until("the display to hear that worker 0 is not answering", Duration.ofSeconds(30),
                    () -> recorder.row(w -> w.pid() == pid && w.silentSinceNanos() != 0).isPresent());
            Await.until("the pool's status to show worker 0 as silent", Duration.ofSeconds(10),
                    () -> pool.status().get(0).state().equals("silent"));
            assertFalse(run.isFinished());
            pool.await(run, 60_000);

            List<TaskFailure> failures = recorder.failures();
            assertEquals(1, failures.size(), failures.toString());
            TaskFailure failure = failures.get(0);
            assertEquals(TaskFailure.Kind.WORKER_UNRESPONSIVE, failure.kind());
            assertEquals(0, failure.element());
            assertEquals(stopped, failure.pid());
            assertTrue(failure.message().contains("liveness limit 4.0 s"), failure.message());
            List<Object> results = recorder.resultsInElementOrder();
            assertEquals(3, results.size(), results.toString());
            assertFalse(results.contains(stopped), "element 2 ran elsewhere: " + results);
            assertTrue(recorder.row(w -> w.pid() == pid && w.state() == WorkerState.DEAD).isPresent());
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
            Recorder recorder = new Recorder();
            Run run = pool.submitFunction(f, Message.CallShape.ONE_ARGUMENT, recorder, false);
            pool.feedAll(run, List.of(1).iterator(), 1);
            pool.await(run, 60_000);
            assertEquals(List.of(), recorder.failures());
            assertEquals(List.of(pid), recorder.resultsInElementOrder());
            assertTrue(recorder.row(w -> w.runningSinceNanos() != 0).isPresent(), "its running time is shown");
            assertFalse(recorder.row(w -> w.silentSinceNanos() != 0).isPresent(), "never shown as silent");
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
            Recorder recorder = new Recorder();
            Run run = pool.submitSnippets(List.of(GatedSnippet.class.getName()), true, List.of(), recorder);
            Await.until("both workers to run the snippet", Duration.ofSeconds(30),
                    () -> Files.exists(dir.resolve("started-0")) && Files.exists(dir.resolve("started-1")));
            long victim = Long.parseLong(Files.readString(dir.resolve("started-1")).trim());
            assertTrue(ProcessHandle.of(victim).orElseThrow().destroyForcibly());

            Await.until("worker 1's failure and its end to be reported", Duration.ofSeconds(30),
                    () -> !recorder.failures().isEmpty()
                            && recorder.row(w -> w.pid() == victim && w.state() == WorkerState.DEAD).isPresent());
            assertFalse(run.isFinished(), "worker 0 is still at the gate");
            assertFalse(Files.exists(dir.resolve("gate")));
            TaskFailure failure = recorder.failures().get(0);
            assertEquals(TaskFailure.Kind.WORKER_DIED, failure.kind());
            assertEquals(1, failure.worker());
            assertEquals(victim, failure.pid());

            Files.writeString(dir.resolve("gate"), "open");
            pool.await(run, 60_000);
            assertEquals(List.of(failure), recorder.failures());
            assertEquals(List.of("0"), recorder.resultsInElementOrder());
            assertNotEquals(victim, pool.status().get(1).pid());
        } finally {
            pool.terminate();
        }
    }
}
