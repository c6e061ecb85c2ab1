package org.jparallel.internal.pool;

import org.jparallel.api.SerialCallable;
import org.jparallel.api.SerialFunction;
import org.jparallel.internal.code.CodeSource;
import org.jparallel.internal.wire.Message;
import org.jparallel.testing.Await;
import org.jparallel.testing.OnWorker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where a real pool shows what its workers print: a task's output with its run, anything else as the worker's own. */
class WorkerOutputIT {

    /** Records the output a run is told about. */
    private static final class OutputOfRun implements RunListener {
        final StringBuffer text = new StringBuffer();

        @Override
        public void output(int worker, long pid, boolean error, String printed) {
            text.append(printed);
        }
    }

    @Test
    void whatAWorkerWritesOutsideAnyTaskIsShownAsItsOwnNotAsAnOpenRunsOutput(@TempDir Path dir) throws Exception {
        String gate = dir.resolve("gate").toString();
        RealWorkerPool pool = RealWorkerPool.start(new RealWorkerPool.Options(1, List.of(), null, 0), CodeSource.PLAIN);
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            pool.awaitReady(30, TimeUnit.SECONDS);
            long pid = pool.status().get(0).pid();

            // a task that leaves a thread running, which prints once the gate opens
            SerialCallable<Object> leaveAThread = () -> {
                Thread printer = new Thread(() -> {
                    while (!Files.exists(Path.of(gate))) {
                        OnWorker.sleep(10);
                    }
                    System.out.println("left behind");
                });
                printer.setDaemon(true);
                printer.start();
                return null;
            };
            Run leaving = pool.submitFunction(leaveAThread, Message.CallShape.NO_ARGUMENT, RunListener.NONE, false);
            pool.feedAll(leaving, Collections.singletonList(null).iterator(), 1);
            pool.await(leaving, 30_000);

            // a run that is open while the thread prints, with nothing on the worker
            OutputOfRun open = new OutputOfRun();
            Run waiting = pool.submitFunction((SerialFunction<Object, Object>) x -> x, Message.CallShape.ONE_ARGUMENT,
                    open, false);
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            Files.writeString(Path.of(gate), "open");
            Await.until("the worker's line to be shown somewhere", Duration.ofSeconds(30),
                    () -> captured.toString(StandardCharsets.UTF_8).contains("left behind\n") || open.text.length() != 0);
            assertEquals("", open.text.toString(), "the open run is told only about its own tasks' output");
            assertEquals("[worker 0 · pid " + pid + " · outside any task]\nleft behind\n",
                    captured.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
            pool.endInput(waiting);
            assertTrue(waiting.isFinished());
        } finally {
            System.setOut(stdout);
            pool.terminate();
        }
    }
}
