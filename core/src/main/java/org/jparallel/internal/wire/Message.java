package org.jparallel.internal.wire;

import java.util.List;
import java.util.Map;

/**
 * Every message that crosses between the kernel and a worker: a closed set of small records.
 *
 * <p>Values inside messages are already encoded by {@code ValueCodec} (fields of type {@code byte[]}),
 * so a value that cannot be sent is found before a message is built. The byte layout is in
 * {@code docs/wire-protocol.md}.
 */
public sealed interface Message {

    // ---- worker → kernel ----

    /** A worker is up: its index in the pool and its PID. */
    record Hello(int worker, long pid) implements Message {
    }

    /**
     * Text a task printed, in the order it was printed; with {@code task} 0, text the worker wrote outside
     * any task (its own log, a thread a task left running).
     */
    record Output(long task, boolean error, String text) implements Message {
    }

    /**
     * A task finished: {@code results} is one encoded list with an entry per element (null where the
     * element failed); {@code failures} describes the elements that failed. {@code ranNanos} is how long the
     * worker spent on it, from taking it up to sending this, and {@code endNanos} the worker's
     * {@link System#nanoTime()} then (both 0: not measured): the kernel places the task in a run's timeline
     * where it really ran on the worker, not where it was sent (queued behind another) nor where its report
     * arrived (late, on a busy machine).
     */
    record Done(long task, byte[] results, List<Failure> failures, long ranNanos, long endNanos) implements Message {

        /** A report whose running time was not measured. */
        public Done(long task, byte[] results, List<Failure> failures) {
            this(task, results, failures, 0, 0);
        }
    }

    /**
     * Why one element of a task failed. {@code element} is its index in the task, or -1 when the whole
     * task failed (it was cancelled before it started, or could not start: the message says why).
     */
    record Failure(long element, FailureKind kind, String exceptionClass, String message,
                   List<Frame> frames, Failure cause) {
    }

    /** How an element failed. */
    enum FailureKind {
        /** The user's code threw. */
        EXCEPTION,
        /** The result could not be encoded; {@code message} says which field. */
        NOT_SENDABLE,
        /** The task was cancelled before or while it ran. */
        CANCELLED
    }

    /** One stack frame of a worker-side exception. */
    record Frame(String className, String method, String file, int line) {
    }

    // ---- kernel → worker ----

    /**
     * Snippet classes (binary name → bytes as compiled) and classpath jars the worker has not seen. A jar comes
     * by reference: the worker takes it from its host's cache, or asks for it ({@link FetchJar}).
     */
    record DefineCode(Map<String, byte[]> classes, List<Jar> jars) implements Message {
    }

    /** A classpath jar by content: its SHA-256 (lower-case hex), what the user called it, and its size in bytes. */
    record Jar(String name, String sha256, long size) {
    }

    /** Values of notebook variables to set before the next task: static fields of snippet classes. */
    record SetVariables(List<Variable> variables) implements Message {
    }

    /** One notebook variable: its snippet class, field and encoded value. */
    record Variable(String className, String field, byte[] value) {
    }

    /** Runs the {@code do_it$} method of each snippet class in order; the last one's value is the result. */
    record RunSnippets(long task, List<String> classes, boolean keepValue) implements Message {
    }

    /**
     * Calls a function once per element. {@code function} is sent with the first chunk of a run and
     * cached by {@code functionId} afterwards (null then). {@code firstElement} is the index of the
     * first element in the whole run.
     */
    record RunChunk(long task, long functionId, byte[] function, CallShape shape, long firstElement,
                    byte[] elements) implements Message {
    }

    /** How a function takes its element. */
    enum CallShape {
        /** {@code SerialFunction}: the element is the argument. */
        ONE_ARGUMENT,
        /** {@code SerialBiFunction}: the element is a {@code Map.Entry} of the two arguments. */
        TWO_ARGUMENTS,
        /** {@code SerialCallable}, or {@code SerialRunnable} (whose result is null): no argument; each element is ignored. */
        NO_ARGUMENT
    }

    /** Cancels a task (or every task when {@code task} is 0): stop it if it runs, drop it if queued. */
    record Cancel(long task) implements Message {
    }

    /**
     * Finish the current task, then exit with {@code status}: 0 for a pool worker; for a stand-alone
     * process, 0 after its target returned and 1 after it threw.
     */
    record Exit(int status) implements Message {
        /** Exit with status 0. */
        public Exit() {
            this(0);
        }
    }

    // ---- worker → kernel, appended ----

    /**
     * A pool worker is alive: sent every {@code Reporter.HEARTBEAT_MS} from a thread of its own, whatever its
     * tasks do, so a worker that sends nothing for long (stopped, frozen) is told apart from a busy one. It
     * carries the worker's own CPU time and resident memory, which the kernel cannot read for a worker on
     * another host.
     *
     * @param cpuNanos the CPU time the worker's process used so far
     * @param rssBytes its resident set size in bytes, or -1 where the operating system does not say
     */
    record Heartbeat(long cpuNanos, long rssBytes) implements Message {
    }

    /**
     * How far a pool worker is in a chunk that runs long: {@code elementsDone} of its elements have finished
     * (returned or thrown), no results. Sent at most every {@code TaskRunner.PROGRESS_MS}, and only once a
     * chunk has run that long, so short chunks cost nothing; the chunk's {@link Done} follows as before.
     */
    record Progress(long task, long elementsDone) implements Message {
    }

    /**
     * A worker's host lacks a jar of a {@link DefineCode}: send its bytes from {@code offset} on, one
     * {@link JarPart} per request, so a large jar travels in bounded frames and never fills a queue.
     */
    record FetchJar(String sha256, long offset) implements Message {
    }

    // ---- kernel → worker, appended ----

    /** Bytes of a jar from {@code offset} on (at most {@code JarShipping.PART_BYTES}); {@code last} ends it. */
    record JarPart(String sha256, long offset, byte[] bytes, boolean last) implements Message {
    }

    /** The kernel cannot send a jar a worker asked for; {@code reason} says why. */
    record JarRefused(String sha256, String reason) implements Message {
    }
}
