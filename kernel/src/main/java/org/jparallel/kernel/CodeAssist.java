package org.jparallel.kernel;

import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import jdk.jshell.SourceCodeAnalysis.CompletionInfo;
import jdk.jshell.SourceCodeAnalysis.Documentation;
import jdk.jshell.SourceCodeAnalysis.Suggestion;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.jparallel.kernel.eval.CellSource;
import org.jparallel.kernel.eval.SnippetEvaluator;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Completion, inspection and completeness checks for cells of several snippets: each request is
 * answered on the snippet around the cursor, and magic names complete after {@code %} or {@code %%}.
 */
final class CodeAssist {

    private static final Pattern MAGIC_PREFIX = Pattern.compile("(?m)^\\s*(%%?)(\\w*)$");
    private static final Pattern MAGIC_LINE = Pattern.compile("(?m)^\\s*%\\w.*$");

    private final SnippetEvaluator evaluator;
    private final SourceCodeAnalysis analysis;
    private final MagicsRegistry magics;

    CodeAssist(SnippetEvaluator evaluator, MagicsRegistry magics) {
        this.evaluator = evaluator;
        this.analysis = evaluator.analysis();
        this.magics = magics;
    }

    /** The text of the snippet around a cursor, and where it starts in the cell. */
    private record Region(String text, int start) {
    }

    private Region regionAt(String code, int at) {
        CellSource split = evaluator.split(code);
        int start = 0;
        int end = code.length();
        List<CellSource.Piece> pieces = split.pieces();
        for (int i = 0; i < pieces.size(); i++) {
            int pieceStart = pieces.get(i).offset();
            int next = i + 1 < pieces.size() ? pieces.get(i + 1).offset() : code.length();
            if (pieceStart <= at) {
                start = pieceStart;
                end = Math.max(next, at);
            }
        }
        return new Region(code.substring(start, Math.min(end, code.length())), start);
    }

    ReplacementOptions complete(String code, int at) {
        String line = code.substring(code.lastIndexOf('\n', at - 1) + 1, at);
        Matcher magic = MAGIC_PREFIX.matcher(line);
        if (magic.matches()) {
            Set<String> names = magic.group(1).equals("%%") ? magics.getCellMagicNames() : magics.getLineMagicNames();
            List<String> hits = new TreeSet<>(names).stream()
                    .filter(n -> n.startsWith(magic.group(2)))
                    .collect(Collectors.toList());
            return new ReplacementOptions(hits, at - magic.group(2).length(), at);
        }
        evaluator.releaseClassIndex(); // packages and types not imported come from the index
        Region region = regionAt(code, at);
        int[] anchor = new int[1];
        List<Suggestion> suggestions = analysis.completionSuggestions(region.text(), at - region.start(), anchor);
        Set<String> replacements = new LinkedHashSet<>();
        suggestions.stream().filter(Suggestion::matchesType).forEach(s -> replacements.add(s.continuation()));
        suggestions.forEach(s -> replacements.add(s.continuation()));
        return new ReplacementOptions(new ArrayList<>(replacements), region.start() + anchor[0], at);
    }

    DisplayData inspect(String code, int at) {
        evaluator.releaseClassIndex();
        Region region = regionAt(code, at);
        List<Documentation> docs = analysis.documentation(region.text(), at - region.start(), true);
        if (docs.isEmpty()) {
            // JShell documents a call from inside its parentheses, a type from the end of its name
            int end = at;
            while (end < code.length() && Character.isJavaIdentifierPart(code.charAt(end))) {
                end++;
            }
            int retry = end < code.length() && code.charAt(end) == '(' ? end + 1 : end;
            if (retry != at) {
                region = regionAt(code, retry);
                docs = analysis.documentation(region.text(), retry - region.start(), true);
            }
        }
        if (docs.isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        StringBuilder html = new StringBuilder();
        for (Documentation doc : docs) {
            text.append(doc.signature()).append('\n');
            html.append("<p><code>").append(escape(doc.signature())).append("</code></p>");
            if (doc.javadoc() != null && !doc.javadoc().isBlank()) {
                text.append(doc.javadoc().strip()).append("\n\n");
                html.append("<pre>").append(escape(doc.javadoc().strip())).append("</pre>");
            }
        }
        DisplayData data = new DisplayData(text.toString().strip());
        data.putHTML(html.toString());
        return data;
    }

    /**
     * Whether a front end should run the code now, as Jupyter's {@code is_complete_request} asks. A cell
     * magic's body goes on until an empty last line, as in IPython: its lines need not be Java
     * statements that end on their own, and a terminal ({@code jupyter console}) otherwise ran a
     * {@code %%parallel} cell as soon as its first statement was typed.
     */
    String isComplete(String code) {
        String java = code;
        if (code.startsWith("%%")) {
            int newline = code.indexOf('\n');
            if (newline < 0) {
                return "";
            }
            java = code.substring(newline + 1);
            int lastLine = code.lastIndexOf('\n');
            if (!code.substring(lastLine + 1).isBlank() || java.isBlank()) {
                return "";
            }
        }
        java = MAGIC_LINE.matcher(java).replaceAll("");
        String rest = java;
        while (!rest.isBlank()) {
            CompletionInfo info = analysis.analyzeCompletion(rest);
            Completeness c = info.completeness();
            if (c == Completeness.DEFINITELY_INCOMPLETE || c == Completeness.CONSIDERED_INCOMPLETE) {
                return "    ".repeat(Math.max(0, openBraces(rest)));
            }
            if (c == Completeness.UNKNOWN) {
                return BaseKernel.IS_COMPLETE_BAD;
            }
            if (!c.isComplete()) {
                break;
            }
            rest = info.remaining();
        }
        return BaseKernel.IS_COMPLETE_YES;
    }

    private static int openBraces(String code) {
        int depth = 0;
        for (char c : code.toCharArray()) {
            if (c == '{' || c == '(') {
                depth++;
            } else if ((c == '}' || c == ')') && depth > 0) {
                depth--;
            }
        }
        return depth;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
