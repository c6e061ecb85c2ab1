package org.jparallel.internal.magic;

/**
 * Where the code of a snippet ends and its trailing comments begin: {@code System.out.println(x) // show it}
 * ends after {@code )}. Code that wraps a snippet puts its semicolon there, not inside the comment. Comment marks
 * inside string, character and text-block literals are not comments.
 */
final class TrailingComments {

    private TrailingComments() {
    }

    /** The offset just after the last character of {@code source} that is neither blank nor in a comment. */
    static int codeEnd(String source) {
        int end = 0;
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (source.startsWith("//", i)) {
                int lineEnd = source.indexOf('\n', i);
                i = lineEnd < 0 ? source.length() : lineEnd;
            } else if (source.startsWith("/*", i)) {
                int close = source.indexOf("*/", i + 2);
                i = close < 0 ? source.length() : close + 2;
            } else if (c == '"' || c == '\'') {
                i = literalEnd(source, i);
                end = i;
            } else {
                i++;
                if (!Character.isWhitespace(c)) {
                    end = i;
                }
            }
        }
        return end;
    }

    /** The offset just after the string, character or text-block literal that starts at {@code start}. */
    private static int literalEnd(String source, int start) {
        String quote = source.startsWith("\"\"\"", start) ? "\"\"\"" : source.substring(start, start + 1);
        int i = start + quote.length();
        while (i < source.length()) {
            if (source.charAt(i) == '\\') {
                i += 2;
            } else if (source.startsWith(quote, i)) {
                return i + quote.length();
            } else if (source.charAt(i) == '\n' && quote.length() == 1) {
                return i; // not closed on its line: the compiler will say so
            } else {
                i++;
            }
        }
        return source.length();
    }
}
