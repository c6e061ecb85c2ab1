package org.jparallel.api;

import java.util.List;

/**
 * Why one element of a parallel run failed, with everything needed to act on it: the worker and its
 * PID, the element (index and value), the exception and the worker-side stack trace, trimmed to the
 * notebook's own frames where the code came from a notebook.
 *
 * @param kind           what went wrong
 * @param worker         the worker's index in its pool (-1 for a {@link WorkerProcess}, or if it never
 *                       reached a worker)
 * @param pid            the worker's process id (0 if none)
 * @param element        the element's index in the input (0 for a single call)
 * @param elementText    the element's value as text, shortened (empty for snippets)
 * @param exceptionClass the exception's class name, when user code threw
 * @param message        the exception's message or a description of the problem
 * @param trace          stack frames, innermost first, such as {@code square (cell[4] line 2)}
 * @param cause          the exception's cause, if any
 */
public record TaskFailure(Kind kind, int worker, long pid, long element, String elementText,
                          String exceptionClass, String message, List<String> trace, TaskFailure cause) {

    /** What went wrong. */
    public enum Kind {
        /** The code threw an exception on the worker. */
        EXCEPTION,
        /** The result could not be sent back; the message names the field. */
        NOT_SENDABLE,
        /** The worker process died while holding the element. */
        WORKER_DIED,
        /** The run was interrupted, timed out or failed fast before the element finished. */
        CANCELLED
    }

    /**
     * One line: where and what, such as {@code worker 1 (pid 4242), element 7 (= 7): ArithmeticException: / by zero},
     * or {@code pid 4242: …} for a {@link WorkerProcess}.
     */
    public String summary() {
        StringBuilder s = new StringBuilder();
        s.append(worker >= 0 ? "worker " + worker + " (pid " + pid + ")" : pid > 0 ? "pid " + pid : "no worker");
        if (!elementText.isEmpty()) {
            s.append(", element ").append(element).append(" (= ").append(elementText).append(")");
        }
        s.append(": ");
        if (exceptionClass != null) {
            s.append(exceptionClass);
            if (message != null) {
                s.append(": ").append(message);
            }
        } else {
            s.append(message);
        }
        return s.toString();
    }
}
