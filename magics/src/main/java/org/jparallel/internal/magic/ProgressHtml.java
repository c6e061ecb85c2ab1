package org.jparallel.internal.magic;

import java.util.Locale;

/**
 * A {@link ProgressView} as HTML for notebooks: a bar whose segments say done (blue while running, green
 * at the end), failed (red) and cancelled (grey, hatched), each with its count as a tooltip and an ARIA
 * progress bar around them, so no outcome is told by colour alone; the headline ends in the run's state
 * in words with a sign (✓ done, ✗ failed, ■ stopped); a row per worker and the first failures follow.
 * The outer element carries {@code data-state}, {@code data-done} and {@code data-total} for tests and
 * scripts. A pure function.
 */
final class ProgressHtml {

    private static final String BLUE = "#1f6fb2";
    private static final String GREEN = "#2e7d32";
    private static final String RED = "#c62828";
    private static final String GREY = "#9e9e9e";
    private static final String AMBER = "#b26a00";

    private ProgressHtml() {
    }

    static String render(ProgressView v) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT,
                "<div class=\"jparallel-progress\" data-state=\"%s\" data-done=\"%d\" data-total=\"%d\">",
                v.state().name().toLowerCase(Locale.ROOT), v.finished(), v.total()));
        bar(s, v);
        s.append(" <span style=\"color:").append(stateColour(v.state())).append("\">")
                .append(sign(v.state())).append("</span> <span>").append(escape(ProgressText.headline(v))).append("</span>");
        if (v.note() != null && v.state() != ProgressView.State.STARTING) {
            s.append("<div>").append(escape(v.note())).append("</div>");
        }
        if (!v.workers().isEmpty()) {
            s.append("<table><tr><th>worker</th><th>PID</th><th>state</th><th>elements</th><th></th></tr>");
            for (ProgressView.Row w : v.workers()) {
                boolean alarm = w.condition() == ProgressView.WorkerCondition.UNRESPONSIVE
                        || w.condition() == ProgressView.WorkerCondition.DEAD;
                s.append("<tr><td>").append(w.index()).append("</td><td>").append(w.pid()).append("</td><td")
                        .append(alarm ? " style=\"color:" + RED + ";font-weight:bold\">⚠ " : ">")
                        .append(w.condition().word).append("</td><td>").append(ProgressText.counts(w))
                        .append("</td><td>").append(escape(ProgressText.activity(w, v.state()))).append("</td></tr>");
            }
            s.append("</table>");
        }
        for (String line : ProgressText.failureLines(v)) {
            s.append("<div style=\"color:").append(RED).append("\">").append(escape(line)).append("</div>");
        }
        return s.append("</div>").toString();
    }

    private static void bar(StringBuilder s, ProgressView v) {
        s.append(String.format(Locale.ROOT, "<div role=\"progressbar\" aria-valuemin=\"0\" aria-valuemax=\"%d\""
                        + " aria-valuenow=\"%d\" aria-label=\"%s\" style=\"display:inline-flex;vertical-align:middle;"
                        + "width:24em;height:1em;border:1px solid #888;background:#eee\">",
                Math.max(v.total(), 0), v.finished(), escape(ProgressText.headline(v))));
        if (v.total() > 0) {
            String doneColour = v.state() == ProgressView.State.RUNNING ? BLUE : GREEN;
            segment(s, v.done(), v.total(), "background:" + doneColour, v.done() + " done");
            segment(s, v.failed(), v.total(), "background:" + RED, v.failed() + " failed");
            segment(s, v.cancelled(), v.total(), "background:repeating-linear-gradient(45deg," + GREY + " 0 4px,#ccc 4px 8px)",
                    v.cancelled() + " cancelled");
        }
        s.append("</div>");
    }

    private static void segment(StringBuilder s, long count, long total, String style, String title) {
        if (count > 0) {
            s.append(String.format(Locale.ROOT, "<div title=\"%s\" style=\"width:%.2f%%;%s\"></div>",
                    title, Math.min(100.0, 100.0 * count / total), style));
        }
    }

    private static String sign(ProgressView.State state) {
        return switch (state) {
            case STARTING, RUNNING -> "▶";
            case DONE -> "✓";
            case FAILED -> "✗";
            case CANCELLED, INTERRUPTED, TIMED_OUT -> "■";
        };
    }

    private static String stateColour(ProgressView.State state) {
        return switch (state) {
            case STARTING, RUNNING -> BLUE;
            case DONE -> GREEN;
            case FAILED -> RED;
            case CANCELLED, INTERRUPTED, TIMED_OUT -> AMBER;
        };
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
