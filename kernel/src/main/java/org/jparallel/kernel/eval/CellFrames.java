package org.jparallel.kernel.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Which frames of a cell's exception the user sees. The machinery of the kernel, its extensions and
 * jjava (a magic and the pool it drives) is left out, together with the JDK and library frames it
 * called; notebook code, and whatever notebook code called, stays. So an exception a magic throws
 * shows the cell line that called the magic, as an ordinary exception shows the cell's own frames.
 */
final class CellFrames {

    private static final List<String> MACHINERY = List.of("org.jparallel.kernel.", "org.jparallel.internal.",
            "org.dflib.jjava.");

    private CellFrames() {
    }

    /**
     * The frames to show, innermost first. Frames that are neither notebook code nor machinery are shown
     * when the nearest frame calling them that is one of the two is notebook code; the plumbing of the
     * thread beneath the outermost such frame is left out. A stack with neither is shown whole.
     */
    static List<StackTraceElement> shown(StackTraceElement[] stack, Predicate<StackTraceElement> notebookCode) {
        boolean anchored = false;
        for (StackTraceElement frame : stack) {
            anchored |= isMachinery(frame) || notebookCode.test(frame);
        }
        List<StackTraceElement> shown = new ArrayList<>();
        boolean underNotebookCode = !anchored;
        for (int i = stack.length - 1; i >= 0; i--) {
            StackTraceElement frame = stack[i];
            if (isMachinery(frame)) {
                underNotebookCode = false;
                continue;
            }
            underNotebookCode |= notebookCode.test(frame);
            if (underNotebookCode) {
                shown.add(0, frame);
            }
        }
        return shown;
    }

    private static boolean isMachinery(StackTraceElement frame) {
        return MACHINERY.stream().anyMatch(frame.getClassName()::startsWith);
    }
}
