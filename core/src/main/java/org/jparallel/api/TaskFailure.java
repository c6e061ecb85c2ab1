package org.jparallel.api;

import java.util.List;
import java.util.Locale;

/**
 * Why one element of a parallel run (or one call) failed, with everything needed to act on it: the
 * worker and its PID, the element (index and value) or the call's argument, the exception and the
 * worker-side stack trace, trimmed to the notebook's own frames where the code came from a notebook.
 *
 * @param kind           what went wrong
 * @param worker         the worker's index in its pool (-1 for a {@link WorkerProcess}, or if it never
 *                       reached a worker)
 * @param pid            the worker's process id (0 if none)
 * @param element        the element's index in the input; the worker's index for a {@code %%parallel} cell;
 *                       -1 for a single call ({@code apply}, a {@link WorkerProcess})
 * @param elementText    the element's value, or the single call's argument, as text, shortened; empty
 *                       when there is none ({@code %%parallel} cells, calls without argument)
 * @param exceptionClass the exception's class name, when user code threw
 * @param message        the exception's message or a description of the problem
 * @param trace          stack frames, innermost first, such as {@code square (cell[4] line 2)}
 * @param cause          the exception's cause, if any
 */
public record TaskFailure(Kind kind, int worker, long pid, long element, String elementText,
                          String exceptionClass, String message, List<String> trace, TaskFailure cause) {

    /** How much of a message {@link #summary()} shows: a cell shows the start of a huge one, not megabytes. */
    private static final int SUMMARY_MESSAGE_CHARS = 2000;

    /** What went wrong. */
    public enum Kind {
        /** The code threw an exception on the worker. */
        EXCEPTION,
        /** The result could not be sent back; the message names the field. */
        NOT_SENDABLE,
        /** The worker process died while holding the element. */
        WORKER_DIED,
        /**
         * The worker stopped answering (stopped, or its JVM frozen) while running the element, for longer than
         * the pool's liveness limit; it was killed and replaced. The message says for how long it was silent.
         */
        WORKER_UNRESPONSIVE,
        /** The run was interrupted, timed out or failed fast, or its pool was terminated, before the element finished. */
        CANCELLED
    }

    /**
     * One line: where and what (a message over 2,000 characters is cut there, saying how much more it has), such as {@code worker 1 (pid 4242), element 7 (= 7): java.lang.ArithmeticException: / by zero}.
     * A single call shows its argument ({@code worker 1 (pid 4242), argument 7: …}), or nothing without one;
     * a {@link WorkerProcess} shows its PID ({@code pid 4242: …}).
     */
    public String summary() {
        StringBuilder s = new StringBuilder();
        if (worker >= 0) {
            s.append("worker ").append(worker).append(" (pid ").append(pid).append(")");
        } else if (pid > 0) {
            s.append("pid ").append(pid);
        }
        if (!elementText.isEmpty()) {
            s.append(s.length() == 0 ? "" : ", ").append(element >= 0
                    ? "element " + element + " (= " + elementText + ")" : "argument " + elementText);
        }
        if (s.length() > 0) {
            s.append(": ");
        }
        String shown = message == null || message.length() <= SUMMARY_MESSAGE_CHARS ? message
                : String.format(Locale.ROOT, "%s… (%,d more characters; message() has them all)",
                message.substring(0, SUMMARY_MESSAGE_CHARS), message.length() - SUMMARY_MESSAGE_CHARS);
        s.append(exceptionClass == null ? shown : shown == null ? exceptionClass : exceptionClass + ": " + shown);
        return s.toString();
    }
}
