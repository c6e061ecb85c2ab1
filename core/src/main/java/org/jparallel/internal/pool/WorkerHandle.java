package org.jparallel.internal.pool;

import org.jparallel.internal.code.CodeSource;
import org.jparallel.internal.wire.Message;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pool's view of one worker: its identity, where it is in its life ({@link WorkerState}), the tasks it
 * holds, how fast it has been doing them, what code it has received, and when it was last heard from. Its
 * process is a {@link WorkerJvm}, which the {@link Supervisor} keeps.
 *
 * <p>Only its own methods change its fields; they are called under the pool's lock: by the {@link Dispatcher}
 * (tasks, code, timing), the {@link Supervisor} (life and liveness) and the {@link MessageRouter} (an exit
 * seen before the last messages were read).
 */
final class WorkerHandle {

    final int index;
    final int peer;
    /** Its process id: on another host, ssh's until the worker's hello names its own. */
    long pid;
    /** The host it runs on, as given to the pool; null on this machine. */
    final String host;

    private WorkerState state = WorkerState.STARTING;
    /** The roster it is in, told whenever it may have a free slot again; null outside one (some tests). */
    WorkerRoster roster;
    private long tasksDone;
    /** Tasks the dispatcher handed to this worker (its initializer is not one), for the task quota. */
    private int tasksAssigned;
    /** Tasks sent and not yet done, by id, in the order they were sent. */
    private final Map<Long, Task> inFlight = new LinkedHashMap<>();
    /** How many of the notebook's classes and classpath jars this worker has. */
    private int classesSent;
    private int classpathSent;
    /** How many jars it asked the kernel for: its host's cache lacked them. */
    private int jarsFetched;
    /** The run whose notebook variables were last set on this worker. */
    private long variablesOfRun;
    /** How long this worker's recent tasks took, smoothed; 0 before its first task is done. */
    private long taskNanos;
    /** How many tasks it may hold, from {@link #taskNanos} ({@link Dispatcher#slots}): worked out when that changes. */
    private int slots = Dispatcher.slots(0);
    /** When its last task was reported done ({@link System#nanoTime()}). */
    private long lastDoneNanos;
    /** When anything last arrived from it ({@link System#nanoTime()}); 0 until its hello, when the watch begins. */
    private long lastHeardNanos;
    /** CPU time and resident memory its last heartbeat reported (-1: none yet): what shows for one on another host. */
    private long reportedCpuNanos = -1;
    private long reportedRssBytes = -1;
    /** Whether it has been silent long enough to be shown as not answering. */
    private boolean silent;
    /** Why it was killed as unresponsive; null unless it was. */
    private String unresponsive;
    /** Its process ended while its connection was still open: it is handled once the last messages are read. */
    private boolean exitSeen;
    private String deathCause;

    WorkerHandle(int index, int peer, long pid) {
        this(index, peer, pid, null);
    }

    WorkerHandle(int index, int peer, long pid, String host) {
        this.index = index;
        this.peer = peer;
        this.pid = pid;
        this.host = host;
    }

    String label() {
        return "worker " + index + " (pid " + pid + (host == null ? ")" : " on " + host + ")");
    }

    /** It said hello, naming its PID: on another host that is the worker's, not the local ssh's. */
    void helloFrom(long pid) {
        if (host != null) {
            this.pid = pid;
        }
    }

    WorkerState state() {
        return state;
    }

    // ---- tasks (the dispatcher) ----

    /** Whether it may be handed tasks: it said hello and is not leaving. */
    boolean takesTasks() {
        return state == WorkerState.IDLE || state == WorkerState.BUSY;
    }

    /** How many tasks it holds. */
    int holding() {
        return inFlight.size();
    }

    /** The tasks it holds, in the order they were sent (read-only). */
    Collection<Task> tasks() {
        return Collections.unmodifiableCollection(inFlight.values());
    }

    /** The task with this id if this worker holds it, else null. */
    Task task(long id) {
        return inFlight.get(id);
    }

    /**
     * It was sent {@code task}; {@code counted} says whether the task counts towards its quota (an initializer
     * does not).
     */
    void handed(Task task, boolean counted, long now) {
        task.sentTo(this, now);
        inFlight.put(task.id, task);
        if (counted) {
            tasksAssigned++;
        }
        state = WorkerState.BUSY;
    }

    /**
     * It reported task {@code id} done: the task it gave back, or null if it no longer holds it (its run was
     * given up). Learns how long the task took: from when it could start — when it was sent, or when the task
     * before it ended — to the report; smoothed with weight one half, so a switch from tiny to long tasks is
     * noticed by the next report.
     */
    Task gaveBack(long id, long now) {
        Task task = inFlight.remove(id);
        if (task == null) {
            return null;
        }
        tasksDone++;
        long took = Math.max(1, now - Math.max(task.sentNanos(), lastDoneNanos));
        taskNanos = taskNanos == 0 ? took : (taskNanos + took) / 2;
        slots = Dispatcher.slots(taskNanos);
        lastDoneNanos = now;
        if (inFlight.isEmpty() && state == WorkerState.BUSY) {
            state = WorkerState.IDLE;
        }
        mayTakeTasks();
        return task;
    }

    /** Tells its roster that it may take a task now (see {@link WorkerRoster#mayTakeTasks}). */
    private void mayTakeTasks() {
        if (roster != null) {
            roster.mayTakeTasks(this);
        }
    }

    /** Takes every task it holds away from it (it ended, or the pool is terminated), in the order they were sent. */
    List<Task> takeAll() {
        List<Task> tasks = new ArrayList<>(inFlight.values());
        inFlight.clear();
        mayTakeTasks();
        return tasks;
    }

    long tasksDone() {
        return tasksDone;
    }

    int tasksAssigned() {
        return tasksAssigned;
    }

    long taskNanos() {
        return taskNanos;
    }

    /** How many tasks it may hold, given how long its recent tasks took (see {@link Dispatcher}). */
    int slots() {
        return slots;
    }

    /**
     * When the task it runs now could start (it runs its tasks in the order it got them: the first it holds,
     * from when it was sent or the one before it ended); 0 if it holds none.
     */
    long runningSinceNanos() {
        for (Task task : inFlight.values()) {
            return Math.max(task.sentNanos(), lastDoneNanos);
        }
        return 0;
    }

    /** The notebook code it lacks, now counted as sent; null if it has all of it. */
    Message.DefineCode takeMissingCode(CodeSource code) {
        if (code.classCount() <= classesSent && code.classpathCount() <= classpathSent) {
            return null;
        }
        Message.DefineCode define = code.codeAfter(classesSent, classpathSent);
        classesSent += define.classes().size();
        classpathSent += define.jars().size();
        return define;
    }

    /** It asked for the first part of a jar its host lacks. */
    void fetchedJar() {
        jarsFetched++;
    }

    int jarsFetched() {
        return jarsFetched;
    }

    /** Whether the run's notebook variables must be set on it before its task; from now on they count as set. */
    boolean takeVariablesOf(Run run) {
        if (run.variables.isEmpty() || variablesOfRun == run.id) {
            return false;
        }
        variablesOfRun = run.id;
        return true;
    }

    // ---- life (the supervisor) ----

    /**
     * It said hello. Returns whether it joined the pool now (it was starting); one asked to leave while it
     * was starting does not.
     */
    boolean join(long now) {
        lastHeardNanos = now;
        if (state == WorkerState.STARTING) {
            state = WorkerState.IDLE;
            mayTakeTasks();
            return true;
        }
        return false;
    }

    /** It leaves the pool: it gets no new task and finishes those it holds. */
    void retire() {
        state = WorkerState.RETIRING;
    }

    /** Whether it is leaving and holds no task any more, so it can be asked to exit. */
    boolean retiredAndEmpty() {
        return state == WorkerState.RETIRING && inFlight.isEmpty();
    }

    /** It was asked to exit, so its exit is no death. */
    void dismissed() {
        state = WorkerState.STOPPING;
    }

    /** Its process ended. Returns whether nobody had asked it to exit; then {@code cause} is why it died. */
    boolean ended(String cause) {
        boolean unexpected = state != WorkerState.STOPPING;
        if (unexpected) {
            deathCause = unresponsive != null ? unresponsive : cause;
        }
        state = WorkerState.DEAD;
        return unexpected;
    }

    String deathCause() {
        return deathCause;
    }

    /** Its process ended while its connection was open: its end is handled when the connection closes. */
    void exitSeen() {
        exitSeen = true;
    }

    boolean wasExitSeen() {
        return exitSeen;
    }

    // ---- liveness (the supervisor) ----

    /** Something arrived from it: it is not silent. */
    /** Its heartbeat reported the CPU time and resident memory of its process. */
    void usage(long cpuNanos, long rssBytes) {
        reportedCpuNanos = cpuNanos;
        reportedRssBytes = rssBytes;
    }

    /** The CPU time its last heartbeat reported, zero before the first. */
    Duration reportedCpuTime() {
        return Duration.ofNanos(Math.max(0, reportedCpuNanos));
    }

    /** The resident memory its last heartbeat reported, -1 before the first or where its host does not say. */
    long reportedRssBytes() {
        return reportedRssBytes;
    }

    void heard(long now) {
        lastHeardNanos = now;
        silent = false;
    }

    long lastHeardNanos() {
        return lastHeardNanos;
    }

    /** Forgives a silence this JVM caused (it was paused and could not read): as if heard from now. */
    void forgiveSilence(long now) {
        lastHeardNanos = Math.max(lastHeardNanos, now);
    }

    boolean silent() {
        return silent;
    }

    void turnedSilent() {
        silent = true;
    }

    /** Why it was declared unresponsive; null unless it was. */
    String unresponsive() {
        return unresponsive;
    }

    void declareUnresponsive(String verdict) {
        unresponsive = verdict;
    }
}
