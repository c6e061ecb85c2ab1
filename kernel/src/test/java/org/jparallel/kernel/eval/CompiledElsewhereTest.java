package org.jparallel.kernel.eval;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Variables declared by a cell that was {@linkplain SnippetEvaluator#compile compiled} to run elsewhere (a
 * {@code %%parallel} cell: its statements run on worker JVMs) hold no value in the notebook. Code that the notebook
 * runs may not read them: it fails as if they were not declared, where it names them, and declares nothing. Code
 * compiled to run elsewhere still may, and so may the notebook's lambdas, which may be sent there.
 */
class CompiledElsewhereTest {

    private SnippetEvaluator evaluator;

    @BeforeEach
    void start() {
        evaluator = new SnippetEvaluator(CompiledElsewhereTest.class.getClassLoader(), List.of());
        evaluator.compile("int local = 41;\nString name = \"w\";\nint next() { return ++local; }", "cell[1]", w -> { });
    }

    @AfterEach
    void stop() {
        evaluator.close();
    }

    private Object value(String code) {
        SnippetEvaluator.Outcome outcome = evaluator.eval(code, "cell[n]", w -> { });
        assertTrue(outcome.hasValue(), "expected a value from: " + code);
        return outcome.value();
    }

    /** The one problem {@code code}, run in the notebook, fails with. */
    private CompilationException.Problem refused(String code) {
        CompilationException e = assertThrows(CompilationException.class, () -> evaluator.eval(code, "cell[n]", w -> { }));
        assertEquals(1, e.problems().size(), e.problems().toString());
        return e.problems().get(0);
    }

    @Test
    void readingOneInTheNotebookIsRefusedWhereItIsNamed() {
        CompilationException.Problem p = refused("local");
        assertEquals("cannot find symbol: variable local is not in the notebook: it was declared in code compiled to "
                + "run elsewhere (a %%parallel cell), and has a value only there", p.message());
        assertEquals(1, p.line());
        assertEquals(1, p.column());
        p = refused("int a = 1;\nString s = \"x\" + name;");
        assertEquals(2, p.line());
        assertEquals(18, p.column());
        assertTrue(p.message().startsWith("cannot find symbol: variable name is not in the notebook"), p.message());
    }

    @Test
    void aRefusedDeclarationDeclaresNothing() {
        refused("int y = local + 1;");
        CompilationException e = assertThrows(CompilationException.class, () -> evaluator.eval("y", "cell[n]", w -> { }));
        assertTrue(e.getMessage().startsWith("cannot find symbol"), e.getMessage());
    }

    @Test
    void aNotebookMethodThatReadsOneIsRefusedWhenTheNotebookCallsIt() {
        CompilationException.Problem p = refused("next() * 2");
        assertEquals("cannot find symbol: variable local is not in the notebook: it was declared in code compiled to "
                + "run elsewhere (a %%parallel cell), and has a value only there (read by a method this code calls)",
                p.message());
    }

    @Test
    void codeCompiledToRunElsewhereAndLambdasMayReadThem() {
        SnippetEvaluator.Compiled compiled = evaluator.compile("local + next()", "cell[2]", w -> { });
        assertEquals(1, compiled.snippetClasses().size());
        assertTrue(compiled.lastHasValue());
        Object lambda = value("(java.util.function.IntSupplier) () -> local");
        assertTrue(lambda instanceof java.util.function.IntSupplier);
    }

    @Test
    void aVariableDeclaredAgainInTheNotebookIsTheNotebooks() {
        evaluator.eval("int local = 5;", "cell[n]", w -> { });
        assertEquals(5, value("local"));
        assertTrue(refused("name").message().startsWith("cannot find symbol: variable name is not in the notebook"));
    }
}
