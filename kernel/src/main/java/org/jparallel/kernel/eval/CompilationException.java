package org.jparallel.kernel.eval;

import java.util.List;

/** A cell did not compile: every problem with its cell line, column and source line. */
public final class CompilationException extends RuntimeException {

    /** One compiler diagnostic placed in the cell: 1-based line and column, and the span length. */
    public record Problem(int line, int column, int length, String message, String sourceLine) {
    }

    private final List<Problem> problems;

    public CompilationException(List<Problem> problems) {
        super(problems.isEmpty() ? "the cell did not compile" : problems.get(0).message(), null, false, false);
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    /** The same problems, {@code lines} lines further down: for code that starts below the first line of its cell. */
    public CompilationException movedDown(int lines) {
        return new CompilationException(problems.stream()
                .map(p -> new Problem(p.line() + lines, p.column(), p.length(), p.message(), p.sourceLine()))
                .toList());
    }
}
