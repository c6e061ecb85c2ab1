package org.jparallel.kernel.eval;

import java.util.List;

/**
 * Notebook code was about to read variables that a cell compiled to run elsewhere declared (a {@code %%parallel}
 * cell, whose statements run on worker JVMs): they hold no value here, so the code was not run.
 * {@link SnippetEvaluator} reports it as a {@link CompilationException} placed where the code names them.
 */
final class ElsewhereVariablesException extends RuntimeException {

    private final List<String> names;

    ElsewhereVariablesException(List<String> names) {
        super("reads " + String.join(", ", names) + ", which have values only where they were compiled to run",
                null, false, false);
        this.names = List.copyOf(names);
    }

    /** The variables' names, in the order the code reads them. */
    List<String> names() {
        return names;
    }
}
