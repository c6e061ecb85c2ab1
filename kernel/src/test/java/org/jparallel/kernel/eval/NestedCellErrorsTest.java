package org.jparallel.kernel.eval;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Errors of code that a cell runs through the kernel's own machinery, as a magic does. This class is in
 * the kernel's package, so for the cells here its methods are machinery, like a magic's (it is public so
 * that cells can call them).
 */
public class NestedCellErrorsTest {

    private static SnippetEvaluator evaluator;

    @BeforeAll
    static void start() throws Exception {
        evaluator = new SnippetEvaluator(NestedCellErrorsTest.class.getClassLoader(), List.of());
        evaluator.addToClasspath(Path.of(NestedCellErrorsTest.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI()).toString());
    }

    @AfterAll
    static void stop() {
        evaluator.close();
    }

    /** Called from cells: evaluates code in a nested evaluation, as a magic does. */
    public static Object evalNested(String code) {
        return evaluator.eval(code, "cell[n]", w -> { }).value();
    }

    /** Called from cells: fails inside machinery. */
    public static Object failInside() {
        throw new java.util.concurrent.CancellationException("timed out");
    }

    @Test
    void aNestedCompileErrorReachesTheCellAsACompileErrorWithItsPlace() {
        CompilationException e = assertThrows(CompilationException.class, () -> evaluator.eval(
                "int before = 1;\n" + NestedCellErrorsTest.class.getName() + ".evalNested(\"int ok = 1;\\nint x = nope;\")",
                "cell[t]", w -> { }));
        CompilationException.Problem p = e.problems().get(0);
        assertEquals(2, p.line());
        assertEquals(9, p.column());
        assertEquals("int x = nope;", p.sourceLine());
    }

    @Test
    void anExceptionFromMachineryShowsOnlyTheCellLineThatCalledIt() {
        UserCodeException e = assertThrows(UserCodeException.class, () -> evaluator.eval(
                "int a = 1;\n" + NestedCellErrorsTest.class.getName() + ".failInside()", "cell[t]", w -> { }));
        assertEquals("java.util.concurrent.CancellationException", e.exceptionClass());
        assertEquals(List.of("(cell[t] line 2)"), e.frames());
    }
}
