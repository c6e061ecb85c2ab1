package org.jparallel.internal.pool;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Who is in a pool: the current workers by index, and every worker whose process was started and not yet
 * reaped (current, leaving, or replaced). The {@link Supervisor} changes it; the {@link Dispatcher} and the
 * pool's other parts read it. Under the pool's lock.
 */
final class WorkerRoster {

    private final List<WorkerHandle> current = new ArrayList<>();
    private final List<WorkerHandle> currentView = Collections.unmodifiableList(current);
    private final List<WorkerHandle> live = new ArrayList<>();

    /** The current workers, in index order (a read-only view). */
    List<WorkerHandle> current() {
        return currentView;
    }

    int size() {
        return current.size();
    }

    /** Every worker started and not reaped yet, leaving ones included (a copy). */
    List<WorkerHandle> live() {
        return new ArrayList<>(live);
    }

    /** A worker just started: it takes its index, replacing any previous holder (which stays live until reaped). */
    void add(WorkerHandle worker) {
        if (worker.index < current.size()) {
            current.set(worker.index, worker);
        } else {
            current.add(worker);
        }
        live.add(worker);
    }

    /** Removes the worker with the highest index from the current ones (it leaves; it stays live). */
    WorkerHandle removeLast() {
        return current.remove(current.size() - 1);
    }

    /** Its process was reaped. */
    void forget(WorkerHandle worker) {
        live.remove(worker);
    }

    /** The live worker with this peer id, current or leaving; null if there is none. */
    WorkerHandle byPeer(int peer) {
        for (WorkerHandle w : live) {
            if (w.peer == peer) {
                return w;
            }
        }
        return null;
    }

    /** Whether this worker holds its index in the pool (it is not leaving, nor replaced). */
    boolean isCurrent(WorkerHandle worker) {
        return worker.index < current.size() && current.get(worker.index) == worker;
    }

    /** Whether every current worker has said hello (or died trying). */
    boolean allReady() {
        return current.stream().noneMatch(w -> w.state() == WorkerState.STARTING);
    }

    /** Whether every current worker is dead. */
    boolean allDead() {
        return current.stream().allMatch(w -> w.state() == WorkerState.DEAD);
    }

    /**
     * The first of these current workers (every one when {@code indexes} is empty) that runs on another host,
     * as messages name it ({@code worker 3 on host alpha}); null if they all run on this machine.
     */
    String firstOnAnotherHost(List<Integer> indexes) {
        for (WorkerHandle w : current) {
            if (w.host != null && (indexes.isEmpty() || indexes.contains(w.index))) {
                return "worker " + w.index + " on host " + w.host;
            }
        }
        return null;
    }

    /** The indexes of the current workers. */
    List<Integer> indexes() {
        List<Integer> all = new ArrayList<>();
        for (WorkerHandle w : current) {
            all.add(w.index);
        }
        return all;
    }
}
