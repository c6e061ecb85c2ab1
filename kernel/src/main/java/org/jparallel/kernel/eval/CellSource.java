package org.jparallel.kernel.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * The source of one cell and its split into JShell snippets, each with its offset in the cell, so
 * that positions JShell reports inside a snippet can be shown as cell line and column.
 */
public final class CellSource {

    /**
     * One complete snippet: its source from its first non-blank character, and the cell offset
     * that source starts at.
     */
    public record Piece(String source, int offset) {
    }

    private final String text;
    private final List<Piece> pieces;
    private final String incompleteRest;

    CellSource(String text, List<Piece> pieces, String incompleteRest) {
        this.text = text;
        this.pieces = List.copyOf(pieces);
        this.incompleteRest = incompleteRest;
    }

    /** The whole cell as given. */
    public String text() {
        return text;
    }

    /** The complete snippets, in order. */
    public List<Piece> pieces() {
        return pieces;
    }

    /** Trailing text that is not a complete snippet (an unclosed brace, say), or empty. */
    public String incompleteRest() {
        return incompleteRest;
    }

    /** 1-based line of a character offset in the cell. */
    public int lineOf(int offset) {
        int line = 1;
        for (int i = 0; i < Math.min(offset, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    /** 1-based column of a character offset in the cell. */
    public int columnOf(int offset) {
        int clamped = Math.min(offset, text.length());
        int lineStart = text.lastIndexOf('\n', clamped - 1) + 1;
        return clamped - lineStart + 1;
    }

    /** The text of a 1-based line of the cell, without its line break. */
    public String line(int line) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        return line >= 1 && line <= lines.size() ? lines.get(line - 1) : "";
    }
}
