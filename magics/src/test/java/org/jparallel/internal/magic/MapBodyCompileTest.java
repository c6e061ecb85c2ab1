package org.jparallel.internal.magic;

import org.jparallel.internal.code.CellFunction;
import org.jparallel.kernel.JavaKernel;
import org.jparallel.kernel.JavaKernelBuilder;
import org.jparallel.kernel.eval.CompilationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * How a {@code %%parallel --map x:xs} body is compiled in the notebook's JShell (a kernel in this JVM, no
 * workers): the last statement may end without its semicolon, as a cell's may, whether it has a value or is a
 * void call, and the body's value is its last expression's. The functions are called here, as a worker would call them.
 */
class MapBodyCompileTest {

    private static JavaKernel kernel;

    @BeforeAll
    static void notebook() {
        kernel = new JavaKernelBuilder().build();
        kernel.evalCell("java.util.List<Integer> xs = java.util.List.of(1, 2, 3);");
    }

    @AfterAll
    static void close() {
        kernel.evaluator().close();
    }

    /** The body's values for the elements 1, 2 and 3. */
    private static List<Object> values(String body) throws Exception {
        @SuppressWarnings("unchecked")
        CellFunction<Integer, Object> function = (CellFunction<Integer, Object>) MapRun.compile(kernel, "x", "xs", body)
                .function();
        return Arrays.asList(function.run(1), function.run(2), function.run(3));
    }

    @Test
    void aVoidCallWithoutItsSemicolonEndsTheBodyAsItEndsACell() throws Exception {
        List<Object> none = Arrays.asList(null, null, null);
        assertEquals(none, values("System.out.print(x)"));
        assertEquals(none, values("System.out.print(x) // shows x"));
        assertEquals(none, values("System.out.print(x) /* shows x */\n"));
        assertEquals(none, values("System.out.print(x)\n// shown\n"));
        assertEquals(none, values("System.out.print(\"// not a comment \" + x) // a comment"));
        assertEquals(none, values("int y = x * 2;\nSystem.out.print(y)  "));
        assertEquals(none, values("System.out.print(x); // shows x"));
    }

    @Test
    void theLastExpressionWithOrWithoutItsSemicolonOrACommentIsTheValue() throws Exception {
        assertEquals(List.of(2, 4, 6), values("x * 2"));
        assertEquals(List.of(2, 4, 6), values("x * 2 // doubled"));
        assertEquals(List.of(2, 4, 6), values("x * 2; /* doubled */ // twice"));
        assertEquals(List.of("'1'", "'2'", "'3'"), values("\"'\" + x + '\\'' // quoted"));
        assertEquals(List.of(11, 12, 13), values("System.out.print(x);\nint y = x + 10;\ny;"));
    }

    /** A body may return its value as a lambda's would, last or earlier. */
    @Test
    void aReturnStatementGivesTheValueAsInALambda() throws Exception {
        assertEquals(List.of(2, 4, 6), values("return x * 2;"));
        assertEquals(List.of(2, 4, 6), values("int y = x * 2; return y; // doubled"));
        assertEquals(List.of(2, 4, 6), values("int y = x * 2;\nreturn y"));
        assertEquals(List.of(0, 4, 6), values("if (x == 1) return 0;\nx * 2"));
    }

    @Test
    void aBodyThatDoesNotCompileIsRefusedAtItsOwnLine() {
        CompilationException e = assertThrows(CompilationException.class,
                () -> values("System.out.print(x);\nint y = x.length();\ny"));
        assertEquals(2, e.problems().get(0).line(), e.problems().toString());
        assertEquals("int y = x.length();", e.problems().get(0).sourceLine());
    }
}
