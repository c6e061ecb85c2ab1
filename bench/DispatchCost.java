package org.jparallel.internal.pool;

import org.jparallel.internal.code.CodeSource;
import org.jparallel.internal.codec.ValueCodec;
import org.jparallel.internal.launch.WorkerOutputPrinter;
import org.jparallel.internal.wire.Message;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The kernel's dispatching alone, for a pool of any size: a {@link Dispatcher} over N {@link WorkerHandle}s (no JVM,
 * no socket; messages go nowhere) runs a map of chunk size 1 with every slot taken, each worker in turn reporting
 * its oldest task, as the wire's thread does (the worker found by its peer id, the report handled, the next tasks
 * handed out). Prints the calling thread's CPU time per task, 4 rounds per pool size: what grows with the number of
 * workers shows here, without 256 JVMs. In the pool's package, so it runs against the core jar's package-private
 * classes (see bench/README.md).
 *
 * <p>{@code DispatchCost [workers...]} (default 2 16 64 256).
 */
public class DispatchCost {

    private static final int TASKS = 200_000;
    private static final int ROUNDS = 4;

    public static void main(String[] args) {
        List<Integer> sizes = new ArrayList<>();
        for (String a : args) {
            sizes.add(Integer.parseInt(a));
        }
        if (sizes.isEmpty()) {
            sizes = List.of(2, 16, 64, 256);
        }
        for (int workers : sizes) {
            for (int round = 0; round < ROUNDS; round++) {
                System.out.printf("%3d workers, round %d: %.2f us of CPU per task%n", workers, round,
                        cpuPerTask(workers) / 1e3);
            }
        }
    }

    /** Nanoseconds of this thread's CPU per task of a chunk-size-1 map of {@value #TASKS} over {@code n} workers. */
    static double cpuPerTask(int n) {
        ValueCodec values = new ValueCodec(DispatchCost.class.getClassLoader());
        AtomicLong ids = new AtomicLong();
        Object lock = new Object();
        WorkerRoster roster = new WorkerRoster();
        Dispatcher dispatcher = new Dispatcher(roster, (peer, message) -> {
        }, CodeSource.PLAIN, values, 0, ids::incrementAndGet, lock, Runnable::run);
        List<WorkerHandle> workers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            WorkerHandle worker = new WorkerHandle(i, 100 + i, 5000 + i);
            roster.add(worker);
            worker.join(System.nanoTime());
            workers.add(worker);
        }
        Run run = new Run(ids.incrementAndGet(), new Gatherer(WorkerOutputPrinter.outsideTasks()), List.of(),
                ids.incrementAndGet(), new byte[]{1, 2, 3}, Message.CallShape.ONE_ARGUMENT, false, null, false, false);
        run.values = values;
        byte[] result = values.encodeAll(List.of(7), "result");
        synchronized (lock) {
            dispatcher.add(run);
            for (int t = 0; t < TASKS; t++) {
                List<Integer> one = List.of(t);
                run.queue(new Task(ids.incrementAndGet(), run, t, 1, values.encodeAll(one, "element"), -1, one));
            }
            run.endInput();
            dispatcher.dispatch();
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadCpuTime();
        int reported = 0;
        for (int w = 0; reported < TASKS; w = (w + 1) % n) {
            synchronized (lock) {
                WorkerHandle worker = roster.byPeer(workers.get(w).peer);
                if (worker.holding() == 0) {
                    continue;
                }
                Task task = worker.tasks().iterator().next();
                dispatcher.done(worker, new Message.Done(task.id, result, List.of(), 1_000, System.nanoTime()));
                dispatcher.dispatch();
            }
            reported++;
        }
        long cpu = threads.getCurrentThreadCpuTime() - before;
        if (!run.isFinished()) {
            throw new IllegalStateException("the run did not finish");
        }
        return cpu / (double) TASKS;
    }
}
