package org.jparallel.internal.launch;

import org.jparallel.api.TaskFailure;
import org.jparallel.internal.code.CodeSource;
import org.jparallel.internal.wire.Message;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a worker's {@link Message.Failure} into the {@link TaskFailure} users see: the exception and its
 * causes, with the stack trimmed to the user's frames (the worker's own machinery and reflection are
 * left out) and each frame placed as the code source says (in a notebook, {@code f (cell[4] line 2)}).
 */
public final class TaskFailures {

    private TaskFailures() {
    }

    /**
     * The failure of one element.
     *
     * @param worker the worker's index in its pool, or -1 for a stand-alone process
     */
    public static TaskFailure of(Message.Failure f, int worker, long pid, long element, String elementText,
                                 CodeSource code) {
        TaskFailure.Kind kind = f.kind() == Message.FailureKind.NOT_SENDABLE
                ? TaskFailure.Kind.NOT_SENDABLE : TaskFailure.Kind.EXCEPTION;
        return new TaskFailure(kind, worker, pid, element, elementText, f.exceptionClass(), f.message(),
                trace(f.frames(), code),
                f.cause() == null ? null : of(f.cause(), worker, pid, element, elementText, code));
    }

    private static List<String> trace(List<Message.Frame> frames, CodeSource code) {
        List<String> placed = new ArrayList<>();
        for (Message.Frame frame : frames) {
            if (frame.className().startsWith("org.jparallel.internal.")) {
                break; // below this is the worker's own machinery
            }
            if (frame.className().startsWith("jdk.internal.reflect.") || frame.className().startsWith("java.lang.reflect.")) {
                continue;
            }
            String where = code.placeFrame(new StackTraceElement(frame.className(), frame.method(), frame.file(), frame.line()));
            if (where != null) {
                placed.add(where);
            }
        }
        return placed;
    }
}
