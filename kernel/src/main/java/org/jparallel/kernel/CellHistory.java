package org.jparallel.kernel;

import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.kernel.history.HistoryManager;

import org.dflib.jjava.jupyter.messages.request.HistoryRequest;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The inputs (and plain-text outputs) of this kernel session, for {@code history_request}: tail,
 * range and glob search. Only the current session (offset 0) is kept. Thread-safe.
 */
final class CellHistory implements HistoryManager {

    private record Cell(int number, String input, String output) {
    }

    private final List<Cell> cells = new ArrayList<>();

    /** The entries a history request asks for, as the protocol's {@code [session, line, input]} tuples. */
    List<List<Object>> answer(HistoryRequest request) {
        Set<ResultFlag> flags = EnumSet.noneOf(ResultFlag.class);
        if (request.includeOutput()) {
            flags.add(ResultFlag.INCLUDE_OUTPUT);
        }
        List<HistoryEntry> entries;
        switch (request.getAccessType()) {
            case TAIL -> entries = lookupTail(((HistoryRequest.Tail) request).getMaxReturnLength(), flags);
            case RANGE -> {
                HistoryRequest.Range range = (HistoryRequest.Range) request;
                entries = lookupRange(range.getSessionIndex(), range.getStart(), range.getStop(), flags);
            }
            default -> {
                HistoryRequest.Search search = (HistoryRequest.Search) request;
                if (search.filterUnique()) {
                    flags.add(ResultFlag.UNIQUE);
                }
                entries = search(search.getPattern(), search.getMaxReturnLength(), flags);
            }
        }
        List<List<Object>> tuples = new ArrayList<>();
        for (HistoryEntry e : entries) {
            Object io = e.hasOutput() ? List.of(e.getInput(), e.getOutput()) : e.getInput();
            tuples.add(List.of(e.getSession(), e.getCellNumber(), io));
        }
        return tuples;
    }

    synchronized void record(int number, String input, String output) {
        cells.add(new Cell(number, input, output == null ? "" : output));
    }

    @Override
    public synchronized List<HistoryEntry> lookupTail(int length, Set<ResultFlag> flags) {
        return entries(cells.subList(Math.max(0, cells.size() - length), cells.size()), flags);
    }

    @Override
    public synchronized List<HistoryEntry> lookupRange(int session, int start, int end, Set<ResultFlag> flags) {
        List<Cell> hits = new ArrayList<>();
        if (session == 0) {
            for (Cell c : cells) {
                if (c.number() >= start && (end <= 0 || c.number() < end)) {
                    hits.add(c);
                }
            }
        }
        return entries(hits, flags);
    }

    @Override
    public synchronized List<HistoryEntry> search(String glob, int length, Set<ResultFlag> flags) {
        Pattern pattern = Pattern.compile(globToRegex(glob), Pattern.DOTALL);
        List<Cell> hits = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (int i = cells.size() - 1; i >= 0 && (length <= 0 || hits.size() < length); i--) {
            Cell c = cells.get(i);
            if (pattern.matcher(c.input()).matches()
                    && (!flags.contains(ResultFlag.UNIQUE) || seen.add(c.input()))) {
                hits.add(0, c);
            }
        }
        return entries(hits, flags);
    }

    private static List<HistoryEntry> entries(List<Cell> cells, Set<ResultFlag> flags) {
        boolean output = flags.contains(ResultFlag.INCLUDE_OUTPUT);
        List<HistoryEntry> entries = new ArrayList<>();
        for (Cell c : cells) {
            entries.add(new HistoryEntry(0, c.number(), c.input(), output ? c.output() : null));
        }
        return entries;
    }

    static String globToRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                case '[' -> {
                    int close = glob.indexOf(']', i + 1);
                    if (close < 0) {
                        regex.append("\\[");
                    } else {
                        // sqlite's [a-z] and [^a-z] read the same as a regex character class
                        regex.append('[').append(glob, i + 1, close).append(']');
                        i = close;
                    }
                }
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return regex.toString();
    }
}
