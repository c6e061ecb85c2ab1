package org.jparallel.internal.pool;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Who is in a pool: the current workers by index, and every worker whose process was started and not yet
 * reaped (current, leaving, or replaced). The {@link Supervisor} changes it; the {@link Dispatcher} and the
 * pool's other parts read it. Under the pool's lock.
 */
final class WorkerRoster {

    private final List<WorkerHandle> current = new ArrayList<>();
    private final List<WorkerHandle> currentView = Collections.unmodifiableList(current);
    private final List<WorkerHandle> live = new ArrayList<>();
    /** The live workers by peer id (unique: the supervisor numbers them), as every message names its sender. */
    private final Map<Integer, WorkerHandle> byPeer = new HashMap<>();
    /** How many current workers run on another host. */
    private int onOtherHosts;
    /**
     * The indexes of the current workers that may have a free slot: every one that can take a task is among them
     * (see {@link #mayTakeTasks}); the dispatcher clears those it finds full. So a report of a pool whose slots are
     * all taken makes it look at the worker that reported, not at all of them.
     */
    private final BitSet mayHaveFreeSlot = new BitSet();

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
        byPeer.put(worker.peer, worker);
        countOtherHosts();
        worker.roster = this;
        mayHaveFreeSlot.set(worker.index);
    }

    /** Removes the worker with the highest index from the current ones (it leaves; it stays live). */
    WorkerHandle removeLast() {
        WorkerHandle last = current.remove(current.size() - 1);
        countOtherHosts();
        mayHaveFreeSlot.clear(last.index);
        return last;
    }

    /**
     * This worker may take a task now: it joined, or gave tasks back (which may also raise how many it may hold).
     * The only ways one that could not take a task comes to be able to: its task count only grows otherwise,
     * and its state only moves on from those that take tasks.
     */
    void mayTakeTasks(WorkerHandle worker) {
        if (isCurrent(worker)) {
            mayHaveFreeSlot.set(worker.index);
        }
    }

    /** The first current worker at or after {@code index} that may have a free slot; -1 if none. */
    int nextMayHaveFreeSlot(int index) {
        return mayHaveFreeSlot.nextSetBit(index);
    }

    /** The current worker at {@code index} has no free slot, or takes no task: skipped until {@link #mayTakeTasks}. */
    void full(int index) {
        mayHaveFreeSlot.clear(index);
    }

    private void countOtherHosts() {
        onOtherHosts = (int) current.stream().filter(w -> w.host != null).count();
    }

    /** Its process was reaped. */
    void forget(WorkerHandle worker) {
        live.remove(worker);
        byPeer.remove(worker.peer, worker);
    }

    /** The live worker with this peer id, current or leaving; null if there is none. */
    WorkerHandle byPeer(int peer) {
        return byPeer.get(peer);
    }

    /** Whether a current worker runs on another host; asked for every task handed out. */
    boolean anyOnAnotherHost() {
        return onOtherHosts > 0;
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
