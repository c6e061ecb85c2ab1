package org.jparallel.kernel.eval;

import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import jdk.jshell.SourceCodeAnalysis.CompletionInfo;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a cell into complete JShell snippets with {@link SourceCodeAnalysis#analyzeCompletion}, the
 * way the {@code jshell} tool reads its input, keeping each snippet's offset in the cell.
 */
final class CellSplitter {

    private final SourceCodeAnalysis analysis;

    CellSplitter(SourceCodeAnalysis analysis) {
        this.analysis = analysis;
    }

    CellSource split(String text) {
        List<CellSource.Piece> pieces = new ArrayList<>();
        String rest = text;
        while (!rest.isBlank()) {
            CompletionInfo info = analysis.analyzeCompletion(rest);
            Completeness completeness = info.completeness();
            if (completeness == Completeness.UNKNOWN) {
                // not Java JShell can split: hand it over whole, so the compiler says what is wrong
                pieces.add(new CellSource.Piece(rest.strip(), text.length() - rest.length() + blankPrefix(rest)));
                return new CellSource(text, pieces, "");
            }
            if (!completeness.isComplete()) {
                return new CellSource(text, pieces, completeness == Completeness.EMPTY ? "" : rest);
            }
            // JShell numbers stack-trace lines from the first non-blank character, so start there
            String source = info.source();
            int blank = blankPrefix(source);
            pieces.add(new CellSource.Piece(source.substring(blank), text.length() - rest.length() + blank));
            rest = info.remaining();
        }
        return new CellSource(text, pieces, "");
    }

    private static int blankPrefix(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }
}
