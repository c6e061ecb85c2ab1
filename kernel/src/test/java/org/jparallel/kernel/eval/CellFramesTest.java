package org.jparallel.kernel.eval;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CellFramesTest {

    private static StackTraceElement frame(String className) {
        return new StackTraceElement(className, "m", null, 1);
    }

    private static final StackTraceElement CELL = frame("REPL.$JShell$12");

    private static List<StackTraceElement> shown(StackTraceElement... stack) {
        return CellFrames.shown(stack, f -> f.getClassName().startsWith("REPL."));
    }

    @Test
    void aMagicsMachineryAndWhatItCalledAreLeftOutDownToTheCellLine() {
        assertEquals(List.of(CELL), shown(frame("java.util.concurrent.CompletableFuture"),
                frame("org.jparallel.internal.pool.RealWorkerPool"), frame("java.util.ArrayList"),
                frame("org.jparallel.internal.magic.MapRun"), frame("org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry"),
                frame("org.jparallel.kernel.magic.MagicCalls"), CELL));
    }

    @Test
    void whatNotebookCodeCallsStaysAlsoWhenMachineryCalledTheNotebookCode() {
        StackTraceElement parse = frame("java.lang.Integer");
        StackTraceElement library = frame("com.example.Lib");
        StackTraceElement toString = frame("REPL.$JShell$9$Point");
        StackTraceElement api = frame("org.jparallel.api.WorkerPool");
        assertEquals(List.of(parse, library, toString, api, CELL), shown(parse, library, toString,
                frame("org.dflib.jjava.jupyter.kernel.display.Renderer"), frame("java.lang.reflect.Method"),
                frame("org.jparallel.internal.pool.Gatherer"), api, CELL));
    }

    @Test
    void anExceptionMadeOnAServiceThreadShowsNoThreadPlumbing() {
        assertEquals(List.of(), shown(frame("org.jparallel.internal.pool.Gatherer"),
                frame("org.jparallel.internal.wire.Inbox"), frame("java.lang.Thread")));
    }

    @Test
    void aStackWithNeitherNotebookCodeNorMachineryIsShownWhole() {
        StackTraceElement[] stack = {frame("com.example.Lib"), frame("java.lang.Thread")};
        assertEquals(Arrays.asList(stack), shown(stack));
    }
}
