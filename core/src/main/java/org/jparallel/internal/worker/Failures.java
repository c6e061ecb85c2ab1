package org.jparallel.internal.worker;

import org.jparallel.internal.wire.Message;
import org.jparallel.internal.code.CellStoppedError;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;

/** Turns a worker-side throwable into a {@link Message.Failure} for one element. */
final class Failures {

    private static final int MAX_CAUSES = 5;
    /** Classes of the kernel JVM that notebook code may name but a worker, which runs on jparallel-core, lacks. */
    private static final List<String> KERNEL_ONLY = List.of("org/jparallel/notebook/", "org/jparallel/kernel/",
            "org/jparallel/internal/magic/", "org/jparallel/internal/notebook/", "org/dflib/jjava/");

    private Failures() {
    }

    static Message.Failure of(long element, Throwable thrown) {
        Throwable t = unwrap(thrown);
        if (t instanceof CellStoppedError) {
            return cancelled(element);
        }
        return describe(element, t, 0);
    }

    static Message.Failure cancelled(long element) {
        return new Message.Failure(element, Message.FailureKind.CANCELLED, null, "cancelled", List.of(), null);
    }

    static Message.Failure notSendable(long element, String message) {
        return new Message.Failure(element, Message.FailureKind.NOT_SENDABLE, null, message, List.of(), null);
    }

    static boolean isStop(Throwable thrown) {
        return unwrap(thrown) instanceof CellStoppedError;
    }

    private static Throwable unwrap(Throwable t) {
        while (t instanceof InvocationTargetException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static Message.Failure describe(long element, Throwable t, int depth) {
        List<Message.Frame> frames = new ArrayList<>();
        for (StackTraceElement e : t.getStackTrace()) {
            frames.add(new Message.Frame(e.getClassName(), e.getMethodName(), e.getFileName(), e.getLineNumber()));
        }
        Throwable cause = t.getCause();
        Message.Failure causeFailure = cause != null && cause != t && depth < MAX_CAUSES
                ? describe(element, cause, depth + 1) : null;
        return new Message.Failure(element, Message.FailureKind.EXCEPTION, t.getClass().getName(),
                explained(t), frames, causeFailure);
    }

    /**
     * The message, with what a user can do when the code used the notebook's own functions ({@code display},
     * {@code html}, {@code input}, magics), which exist in the kernel only.
     */
    private static String explained(Throwable t) {
        String message = t.getMessage();
        if (t instanceof NoClassDefFoundError && message != null
                && KERNEL_ONLY.stream().anyMatch(message::startsWith)) {
            return message + ": this belongs to the notebook's kernel, not to a worker (display, html, markdown,"
                    + " input and the magics run in the notebook only); return the value and show it there";
        }
        return message;
    }
}
