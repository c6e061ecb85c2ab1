package org.jparallel.internal.pool;

import org.jparallel.api.NotSendableException;
import org.jparallel.api.SerialCallable;
import org.jparallel.api.SerialRunnable;
import org.jparallel.internal.codec.ValueCodec;
import org.jparallel.internal.launch.WorkerOutputPrinter;
import org.jparallel.internal.wire.Message;

import java.util.Collections;
import java.util.List;

/**
 * A pool's initializer, encoded once: each worker that says hello runs it as the one task of a run of its
 * own, ahead of any other task; what it prints is shown as the initializer's. Immutable.
 */
final class WorkerInitializer {

    private final byte[] function;
    private final byte[] element;
    private final WorkerOutputPrinter output = WorkerOutputPrinter.initializer();

    private WorkerInitializer(byte[] function, byte[] element) {
        this.function = function;
        this.element = element;
    }

    /** The initializer encoded, or null without one; throws if it cannot be sent. */
    static WorkerInitializer of(SerialRunnable init, ValueCodec values) throws NotSendableException {
        if (init == null) {
            return null;
        }
        SerialCallable<Object> call = () -> {
            init.run();
            return null;
        };
        return new WorkerInitializer(values.encode(call, "initializer"),
                values.encodeAll(Collections.singletonList(null), "element"));
    }

    /** The initializer as the one task of a run of its own for this worker, its input done. */
    Task taskFor(WorkerHandle worker, PoolState ids) {
        RunListener printing = new RunListener() {
            @Override
            public void output(int index, long pid, boolean error, String text) {
                output.print(index, pid, error, text);
            }

            @Override
            public void finished() {
                output.finish(worker.index, worker.pid);
            }
        };
        Run run = new Run(ids.nextId(), printing, List.of(), ids.nextId(), function,
                Message.CallShape.NO_ARGUMENT, true, null, false, false);
        Task task = new Task(ids.nextId(), run, 0, 1, element, worker.index, null);
        run.holdsOnly(task);
        return task;
    }
}
