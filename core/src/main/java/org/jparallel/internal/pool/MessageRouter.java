package org.jparallel.internal.pool;

import org.jparallel.api.TaskFailure;
import org.jparallel.internal.launch.WorkerOutputPrinter;
import org.jparallel.internal.wire.Message;
import org.jparallel.internal.wire.WireServer;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Routes what happens to a pool's workers to the part that deals with it: their messages (on the wire's
 * selector thread), their process exits (on the JDK's process-reaper thread), and the liveness watch (on the
 * shared liveness thread). Each takes the pool's lock, updates the {@link Supervisor} and the
 * {@link Dispatcher}, hands out what can now be sent, and wakes whoever waits. Nothing here decodes a value:
 * results are decoded off the selector thread (see {@link Dispatcher}).
 */
final class MessageRouter implements WireServer.Listener {

    private final PoolState state;
    private final Supervisor supervisor;
    private final Dispatcher dispatcher;
    /** The pool's initializer; null without one. */
    private final WorkerInitializer initializer;
    /** JVM options, named when a worker could not start. */
    private final List<String> jvmOptions;
    /** Prints what workers write outside any task (task 0, or a task no longer theirs), as theirs. */
    private final WorkerOutputPrinter outsideTasks = WorkerOutputPrinter.outsideTasks();

    MessageRouter(PoolState state, Supervisor supervisor, Dispatcher dispatcher, WorkerInitializer initializer,
                  List<String> jvmOptions) {
        this.state = state;
        this.supervisor = supervisor;
        this.dispatcher = dispatcher;
        this.initializer = initializer;
        this.jvmOptions = jvmOptions;
    }

    @Override
    public void onMessage(int peer, Message message) {
        List<Run> finished;
        synchronized (state) {
            dispatcher.deferSignals();
            try {
                handle(peer, message);
            } finally {
                finished = dispatcher.takeUnsignalled();
            }
        }
        for (Run run : finished) {
            run.signal.finish(); // with the lock released (see Dispatcher#deferSignals)
        }
    }

    /** Handles a worker's message, holding the pool's lock. */
    private void handle(int peer, Message message) {
        WorkerHandle worker = supervisor.roster().byPeer(peer);
        if (worker == null) {
            return;
        }
        supervisor.heard(worker);
        if (message instanceof Message.Heartbeat beat) {
            worker.usage(beat.cpuNanos(), beat.rssBytes());
            return;
        }
        if (message instanceof Message.Progress progress) {
            dispatcher.progressed(worker, progress);
            return;
        }
        if (message instanceof Message.FetchJar fetch) {
            dispatcher.fetchJar(worker, fetch);
            return;
        }
        if (message instanceof Message.Hello hello) {
            if (supervisor.ready(worker, hello.pid()) && initializer != null) {
                dispatcher.initialize(worker, initializer.taskFor(worker, state));
            }
        } else if (message instanceof Message.Output output) {
            Task task = worker.task(output.task());
            if (task != null) {
                task.run.listener.output(worker.index, worker.pid, output.error(), output.text());
            } else {
                outsideTasks.print(worker.index, worker.pid, output.error(), output.text());
            }
        } else if (message instanceof Message.Done done) {
            dispatcher.done(worker, done);
            if (dispatcher.quotaUsed(worker) && worker.state() == WorkerState.IDLE) {
                supervisor.replace(worker); // its last task is done: it exits, a fresh JVM takes its place
            } else {
                supervisor.dismissIfIdle(worker);
            }
        }
        dispatcher.dispatch();
        state.notifyAll();
    }

    /**
     * A worker's process ended (on the JDK's reaper thread). What it sent before it ended is read first: while
     * its connection is open, its end is handled when the connection closes ({@link #onClosed}), so a
     * result it sent just before is not mistaken for a task it was running; except a cut-off worker on another host
     * ({@link Supervisor#cutOff}), whose connection may never close.
     */
    void exited(WorkerHandle worker) {
        synchronized (state) {
            if (supervisor.connected(worker) && !supervisor.cutOff(worker)) {
                worker.exitSeen();
                return;
            }
            ended(worker);
        }
    }

    @Override
    public void onClosed(int peer) {
        synchronized (state) {
            WorkerHandle worker = supervisor.roster().byPeer(peer);
            if (worker != null && worker.wasExitSeen()) {
                ended(worker);
            }
        }
    }

    private void ended(WorkerHandle worker) {
        boolean wasStarting = worker.state() == WorkerState.STARTING;
        boolean current = supervisor.roster().isCurrent(worker);
        boolean unexpected = supervisor.exited(worker);
        outsideTasks.finish(worker.index, worker.pid); // the end of what it printed outside tasks, if held back
        if (unexpected) {
            dispatcher.lost(worker, worker.unresponsive() != null ? TaskFailure.Kind.WORKER_UNRESPONSIVE
                    : TaskFailure.Kind.WORKER_DIED, worker.deathCause());
            if (wasStarting) {
                state.startFailed("worker " + worker.index + " could not start: " + worker.deathCause()
                        + (jvmOptions.isEmpty() ? "" : " (JVM options: " + String.join(" ", jvmOptions) + ")"));
            } else if (current && !state.closing()) {
                supervisor.spawn(worker.index);
            }
        } else {
            dispatcher.lost(worker, TaskFailure.Kind.WORKER_DIED, "the worker process was stopped");
        }
        dispatcher.dispatch();
        state.notifyAll();
        dispatcher.openRuns().forEach(run -> run.signal.signal()); // the pool may have no worker left (RunWaiter)
    }

    /** Checks that the workers still answer (see {@link Liveness}); on the shared liveness thread. */
    void watch(long periodMillis) {
        synchronized (state) {
            if (state.closing()) {
                return;
            }
            supervisor.watch(System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(periodMillis));
        }
    }
}
