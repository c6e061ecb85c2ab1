package org.jparallel.kernel.eval;

import org.jparallel.testing.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.IntUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnippetEvaluatorTest {

    private static SnippetEvaluator evaluator;

    @BeforeAll
    static void start() {
        evaluator = new SnippetEvaluator(SnippetEvaluatorTest.class.getClassLoader(), List.of());
    }

    @AfterAll
    static void stop() {
        evaluator.close();
    }

    private static Object value(String code) {
        SnippetEvaluator.Outcome outcome = evaluator.eval(code, "cell[t]", w -> { });
        assertTrue(outcome.hasValue(), "expected a value from: " + code);
        return outcome.value();
    }

    @Test
    void lastExpressionIsTheRealObject() {
        Object list = value("var xs = new java.util.ArrayList<Integer>();\nxs.add(3);\nxs");
        assertEquals(List.of(3), list);
        assertTrue(list instanceof java.util.ArrayList);
    }

    @Test
    void declarationsOfEveryKindAndRedefinition() {
        evaluator.eval("import java.util.function.*;\n"
                + "int twice(int x) { return 2 * x; }\n"
                + "record Point(int x, int y) {}\n"
                + "interface Shape { double area(); }\n"
                + "enum Color { RED, GREEN }\n"
                + "class Square implements Shape { public double area() { return 4; } }\n"
                + "int twiceThree() { return twice(3); }", "cell[1]", w -> { });
        assertEquals(6, value("twiceThree()"));
        evaluator.eval("int twice(int x) { return 20 * x; }", "cell[2]", w -> { });
        assertEquals(60, value("twiceThree()"));
        IntUnaryOperator op = (IntUnaryOperator) value("(IntUnaryOperator) x -> twice(x)");
        assertEquals(60, op.applyAsInt(3));
        assertEquals("Point[x=1, y=2]", value("new Point(1, 2).toString()"));
        assertEquals(4.0, value("new Square().area()"));
        assertEquals("GREEN", value("Color.GREEN.name()"));
    }

    @Test
    void theCompilerSeesOnlyTheClassesOfActiveDeclarations() {
        assertTrue(evaluator.cutsCompilerClassFiles(), "JShell's class files are not reachable: is jdk.jshell opened?");
        evaluator.eval("int seen(int x) { return x + 1; }\nint seenToo = seen(1);\nclass Seen { int v = seenToo; }",
                "cell[1]", w -> { });
        Set<String> declared = evaluator.compilerSnippetClasses();
        for (int i = 0; i < 20; i++) {
            value("seen(" + i + ") + new Seen().v");
            evaluator.eval("System.out.flush();", "c", w -> { });
        }
        assertEquals(declared, evaluator.compilerSnippetClasses(), "expressions and statements leave no class behind");
        evaluator.eval("int seenToo = 40;", "cell[2]", w -> { }); // replaces the variable: its old class goes
        assertEquals(42, value("seen(seenToo) + new Seen().v - 39"), "declarations and their dependents still compile");
        assertEquals(declared.size(), evaluator.compilerSnippetClasses().size(),
                "one variable's class for another: " + evaluator.compilerSnippetClasses());
    }

    @Test
    void theClassPathIndexWaitsUntilReleased() {
        SnippetEvaluator fresh = new SnippetEvaluator(SnippetEvaluatorTest.class.getClassLoader(), List.of());
        try {
            assertEquals(2, fresh.eval("1 + 1", "c", w -> { }).value());
            assertTrue(fresh.classIndexHeld(), "JShell's indexing is not held back: is jdk.jshell opened?");
            fresh.releaseClassIndex();
            assertFalse(fresh.classIndexHeld());
            fresh.releaseClassIndex(); // again: nothing more to do
        } finally {
            fresh.close();
        }
    }

    @Test
    void statementsAndDeclarationsProduceNoValue() {
        assertFalse(evaluator.eval("int quiet = 5;", "c", w -> { }).hasValue());
        assertFalse(evaluator.eval("System.out.flush();", "c", w -> { }).hasValue());
        assertEquals(5, value("quiet"));
    }

    @Test
    void expressionValuesLeaveNoJShellVariableBehind() {
        assertEquals(42, value("41 + 1"));
        assertThrows(UserCodeException.class, () -> evaluator.eval("Integer.parseInt(\"x\")", "c", w -> { }));
        List<String> named = new ArrayList<>();
        evaluator.analysis().completionSuggestions("$", 1, new int[1]).forEach(s -> named.add(s.continuation()));
        assertTrue(named.stream().noneMatch(n -> n.matches("\\$\\d+")), "JShell's expression variables left: " + named);
    }

    @Test
    void compileErrorsArePlacedInTheCell() {
        CompilationException e = assertThrows(CompilationException.class,
                () -> evaluator.eval("int a = 1;\n// comment\nint b = \"text\";", "c", w -> { }));
        CompilationException.Problem p = e.problems().get(0);
        assertEquals(3, p.line());
        assertEquals(9, p.column());
        assertEquals("int b = \"text\";", p.sourceLine());
        assertTrue(p.message().contains("incompatible types"), p.message());
    }

    @Test
    void runtimeExceptionsCarryClassMessageAndCellFrames() {
        evaluator.eval("int boom(int x) {\n  return 10 / x;\n}", "cell[4]", w -> { });
        UserCodeException e = assertThrows(UserCodeException.class,
                () -> evaluator.eval("int y = 1;\nboom(0);", "cell[5]", w -> { }));
        assertEquals("java.lang.ArithmeticException", e.exceptionClass());
        assertEquals("/ by zero", e.getMessage());
        assertEquals("boom (cell[4] line 2)", e.frames().get(0));
        assertEquals("(cell[5] line 2)", e.frames().get(1));
        assertEquals(2, e.frames().size());
    }

    @Test
    void framesAsTheJvmWritesThemArePlacedToo() {
        // such frames come back from worker JVMs, and from exceptions that notebook code catches
        evaluator.eval("record Checked(int x) {\n  public Checked {\n    if (x < 0) throw new IllegalArgumentException();\n  }\n}\n"
                + "int fail(int x) {\n  int y = x;\n  return 10 / (y - y);\n}", "cell[6]", w -> { });
        StackTraceElement[] frames = (StackTraceElement[]) value("StackTraceElement[] frames;\n"
                + "try {\n  fail(1);\n  frames = null;\n} catch (ArithmeticException e) {\n  frames = e.getStackTrace();\n}\n"
                + "frames");
        assertTrue(frames[0].getFileName().matches("\\$JShell\\$\\d+\\.java"), frames[0].toString());
        assertEquals("fail (cell[6] line 8)", evaluator.placeSnippetFrame(frames[0]));
        assertEquals("(cell[t] line 3)", evaluator.placeSnippetFrame(frames[1]));
        StackTraceElement[] inRecord = (StackTraceElement[]) value("StackTraceElement[] inRecord;\n"
                + "try {\n  new Checked(-1);\n  inRecord = null;\n} catch (IllegalArgumentException e) {\n"
                + "  inRecord = e.getStackTrace();\n}\ninRecord");
        assertEquals("Checked.<init> (cell[6] line 3)", evaluator.placeSnippetFrame(inRecord[0]));
        Runnable lambda = (Runnable) value("(Runnable) () -> fail(2)");
        ArithmeticException e = assertThrows(ArithmeticException.class, lambda::run);
        assertEquals("lambda (cell[t] line 1)", evaluator.placeSnippetFrame(e.getStackTrace()[1]));
        assertEquals(null, evaluator.placeSnippetFrame(new StackTraceElement("java.util.List", "of", "List.java", 3)));
    }

    @Test
    void incompleteCellIsReported() {
        assertThrows(IncompleteCellException.class, () -> evaluator.eval("void f() {", "c", w -> { }));
    }

    @Test
    void unresolvedDependenciesAreNotedNotFatal() {
        List<String> notes = new ArrayList<>();
        evaluator.eval("int usesLater() { return later * 2; }", "c", notes::add);
        assertEquals(1, notes.size());
        assertTrue(notes.get(0).contains("later"), notes.get(0));
        evaluator.eval("int later = 21;", "c", notes::add);
        assertEquals(42, value("usesLater()"));
    }

    @Test
    void redefiningSaysWhatWasLostAndNothingElse() {
        List<String> notes = new ArrayList<>();
        evaluator.eval("int version() { return 1; }", "c", notes::add);
        evaluator.eval("int version() { return 2; }", "c", notes::add);
        assertEquals(List.of(), notes);
        evaluator.eval("record Pair(int a) {}\nvar pair = new Pair(1);", "c", notes::add);
        evaluator.eval("record Pair(int a, int b) {}", "c", notes::add);
        assertEquals(1, notes.size(), notes.toString());
        assertEquals("note: variable pair no longer compiles against the new record Pair and was removed;"
                + " declare it again", notes.get(0));
    }

    @Test
    void interruptStopsABusyLoopAndASleep() throws Exception {
        for (String body : List.of("while (true) { }", "Thread.sleep(60_000);")) {
            Thread stopper = new Thread(() -> {
                awaitRunningCell();
                evaluator.interrupt();
            });
            stopper.start();
            // the loop never ends and the sleep lasts a minute: ending within 30 s means the interrupt stopped it
            assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> assertThrows(CellInterruptedException.class, () -> evaluator.eval(body, "c", w -> { })), body);
            stopper.join();
            assertEquals(2, value("1 + 1"));
        }
    }

    @Test
    void aStopAskedForOnceTheCellStartedStopsItBeforeItsCodeRuns() {
        evaluator.startCell();
        evaluator.interrupt(); // as a front end does on the busy status, before the kernel evaluates anything
        // the sleep lasts a minute: ending within 30 s means the stop asked for before the cell ran stopped it
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThrows(CellInterruptedException.class,
                () -> evaluator.eval("Thread.sleep(60_000);", "c", w -> { })));
        assertEquals(2, value("1 + 1"), "the stop ended with its cell");
        evaluator.startCell();
        evaluator.interrupt();
        assertThrows(CellInterruptedException.class, () -> evaluator.run(() -> 1), "a cell that is one cell magic");
        assertEquals(2, value("1 + 1"));
    }

    @Test
    void aStopAskedForWhileIdleIsForgotten() {
        evaluator.interrupt();
        assertEquals(2, value("1 + 1"));
        evaluator.interrupt();
        evaluator.startCell();
        assertEquals(3, value("1 + 2"));
    }

    /** Waits (up to 10 s) until a cell thread exists and is inside the snippet, not starting up. */
    private static void awaitRunningCell() {
        Await.until("a cell thread running the snippet", Duration.ofSeconds(10), () -> Thread.getAllStackTraces()
                .entrySet().stream().anyMatch(e -> e.getKey().getName().startsWith("jparallel-cell-")
                        && Arrays.stream(e.getValue()).anyMatch(f -> f.getClassName().startsWith("REPL."))));
    }

    @Test
    void classBytesAreKeptAsCompiled() {
        evaluator.eval("int kept(int v) { return v; }", "c", w -> { });
        assertTrue(evaluator.loader().compiledClasses().keySet().stream().anyMatch(n -> n.startsWith("REPL.")));
    }
}
