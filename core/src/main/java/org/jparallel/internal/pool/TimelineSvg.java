package org.jparallel.internal.pool;

import org.jparallel.api.RunTimeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A {@link RunTimeline} as a Gantt chart in SVG: a title, a legend, a row per worker (its number and PID on the
 * left, the share of the run's time it was busy on the right of the label), a bar per span coloured by outcome over a light grey band
 * that shows through as idle time, and a time axis in seconds. Every bar has a {@code <title>} (the browser's
 * tooltip) naming the worker, the elements, the outcome and the times. Self-contained — no script, no style
 * sheet, no ids — so that it renders the same inline in a notebook's HTML, as an image, and in exported HTML,
 * however many are on one page. Spans of one outcome less than a pixel apart are drawn as one bar while
 * narrow, so the document stays small whatever the run's size: a bar is one task, or tasks that would be under
 * {@value #MIN_BAR_PX} pixels each. Bars carry {@code class="span <outcome>"} for tests and scripts.
 */
public final class TimelineSvg {

    static final int WIDTH = 960;
    private static final int LABELS = 200;
    private static final int RIGHT = 24;
    private static final int TOP = 62;
    /** A bar this wide or wider is drawn alone; narrower ones take their neighbours in until it is. */
    private static final double MIN_BAR_PX = 2;
    private static final int ROW = 24;
    private static final int BAR = 16;
    private static final String IDLE = "#eeeeee";

    private TimelineSvg() {
    }

    /** Its colour: done green, failed red, cancelled grey, retried amber, lost purple (as the progress display's). */
    static String colour(RunTimeline.Outcome outcome) {
        return switch (outcome) {
            case DONE -> "#2e7d32";
            case FAILED -> "#c62828";
            case CANCELLED -> "#9e9e9e";
            case RETRIED -> "#ef8f00";
            case LOST -> "#6a1b9a";
        };
    }

    /** The chart of {@code timeline}. */
    public static String render(RunTimeline timeline) {
        List<RunTimeline.Row> rows = timeline.rows();
        long span = Math.max(1, timeline.length().toNanos());
        for (RunTimeline.Row row : rows) {
            for (RunTimeline.Span s : row.spans()) {
                span = Math.max(span, s.endNanos());
            }
        }
        double seconds = span / 1e9;
        int plot = WIDTH - LABELS - RIGHT;
        int axisY = TOP + Math.max(1, rows.size()) * ROW + 4;
        int height = axisY + 40;
        StringBuilder s = new StringBuilder(4096);
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"jparallel-timeline\""
                        + " width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\""
                        + " role=\"img\" aria-label=\"%s\">\n", WIDTH, height, WIDTH, height,
                escape(headline(timeline))));
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.append(String.format(Locale.ROOT, "<text x=\"6\" y=\"18\" font-size=\"14\" font-weight=\"bold\">%s</text>\n",
                escape(headline(timeline))));
        legend(s);
        s.append(String.format(Locale.ROOT, "<text x=\"6\" y=\"%d\" fill=\"#555\" font-size=\"11\">worker · PID</text>"
                + "<text x=\"%d\" y=\"%d\" fill=\"#555\" font-size=\"11\" text-anchor=\"end\">busy</text>\n",
                TOP - 4, LABELS - 8, TOP - 4));
        if (rows.isEmpty()) {
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#555\">no worker has run a task of it"
                    + " yet</text>\n", LABELS, TOP + 16));
        }
        for (int i = 0; i < rows.size(); i++) {
            row(s, rows.get(i), TOP + i * ROW, span, plot, timeline.length().toNanos());
        }
        axis(s, axisY, seconds, plot);
        return s.append("</svg>\n").toString();
    }

    private static String headline(RunTimeline timeline) {
        long elements = 0;
        for (RunTimeline.Row row : timeline.rows()) {
            for (RunTimeline.Span span : row.spans()) {
                elements += span.outcome() == RunTimeline.Outcome.RETRIED ? 0 : span.elements();
            }
        }
        return String.format(Locale.ROOT, "Run timeline: %d worker%s, %d element%s, %s%s",
                timeline.rows().size(), timeline.rows().size() == 1 ? "" : "s", elements, elements == 1 ? "" : "s",
                seconds(timeline.length().toNanos()), timeline.finished() ? "" : " so far (running)");
    }

    private static void legend(StringBuilder s) {
        int x = 6;
        for (RunTimeline.Outcome outcome : RunTimeline.Outcome.values()) {
            x = swatch(s, x, colour(outcome), outcome.name().toLowerCase(Locale.ROOT));
        }
        swatch(s, x, IDLE, "idle");
    }

    private static int swatch(StringBuilder s, int x, String colour, String name) {
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"28\" width=\"12\" height=\"12\" fill=\"%s\""
                + " stroke=\"#666\" stroke-width=\"0.5\"/><text x=\"%d\" y=\"38\">%s</text>\n", x, colour, x + 16, name));
        return x + 24 + 7 * name.length();
    }

    private static void row(StringBuilder s, RunTimeline.Row row, int y, long span, int plot, long length) {
        s.append(String.format(Locale.ROOT, "<g class=\"worker\" data-worker=\"%d\" data-pid=\"%d\">\n",
                row.worker(), row.pid()));
        s.append(String.format(Locale.ROOT, "<text x=\"6\" y=\"%d\">worker %d · pid %d</text>\n", y + 16, row.worker(),
                row.pid()));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#555\">%.0f%%</text>\n",
                LABELS - 8, y + 16, length == 0 ? 0.0 : Math.min(100.0, 100.0 * row.busyNanos() / length)));
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>\n",
                LABELS, y + 2, plot, BAR + 2, IDLE));
        List<RunTimeline.Span> bar = new ArrayList<>();
        double barEnd = 0;
        for (RunTimeline.Span sp : row.spans()) {
            double x1 = x(sp.startNanos(), span, plot);
            if (!bar.isEmpty() && (sp.outcome() != bar.get(0).outcome() || x1 - barEnd >= 1
                    || barEnd - x(bar.get(0).startNanos(), span, plot) >= MIN_BAR_PX)) {
                bar(s, row, bar, y, span, plot);
                bar.clear();
                barEnd = 0;
            }
            bar.add(sp);
            barEnd = Math.max(barEnd, x(sp.endNanos(), span, plot));
        }
        if (!bar.isEmpty()) {
            bar(s, row, bar, y, span, plot);
        }
        s.append("</g>\n");
    }

    /** One bar for spans of one outcome less than a pixel apart. */
    private static void bar(StringBuilder s, RunTimeline.Row row, List<RunTimeline.Span> spans, int y, long span,
                            int plot) {
        RunTimeline.Span first = spans.get(0);
        long start = first.startNanos();
        long end = 0;
        for (RunTimeline.Span sp : spans) {
            end = Math.max(end, sp.endNanos());
        }
        double x1 = x(start, span, plot);
        double width = Math.max(1, x(end, span, plot) - x1);
        if (width > 3) {
            width -= 0.5; // a hairline between tasks that follow each other at once
        }
        RunTimeline.Outcome outcome = first.outcome();
        String name = outcome.name().toLowerCase(Locale.ROOT);
        String stroke = outcome == RunTimeline.Outcome.RETRIED || outcome == RunTimeline.Outcome.LOST
                ? " stroke=\"#000\" stroke-width=\"1\" stroke-dasharray=\"3 2\"" : "";
        s.append(String.format(Locale.ROOT, "<rect class=\"span %s\" x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\""
                + " fill=\"%s\"%s><title>%s</title></rect>\n", name, x1, y + 3, width, BAR, colour(outcome), stroke,
                escape(tooltip(row, spans, start, end))));
    }

    private static String tooltip(RunTimeline.Row row, List<RunTimeline.Span> spans, long start, long end) {
        String what;
        if (spans.size() == 1) {
            RunTimeline.Span only = spans.get(0);
            what = only.label() + (only.tasks() > 1 ? " (" + only.tasks() + " tasks)" : "");
        } else {
            long elements = 0;
            int tasks = 0;
            for (RunTimeline.Span sp : spans) {
                elements += sp.elements();
                tasks += sp.tasks();
            }
            what = tasks + " tasks, " + elements + " element" + (elements == 1 ? "" : "s");
        }
        return String.format(Locale.ROOT, "worker %d (pid %d): %s, %s, %s (%s to %s)", row.worker(), row.pid(), what,
                spans.get(0).outcome().name().toLowerCase(Locale.ROOT), seconds(end - start), seconds(start),
                seconds(end));
    }

    /** The time axis: a line, ticks at 1, 2 or 5 times a power of ten seconds, about eight of them, and a caption. */
    private static void axis(StringBuilder s, int y, double seconds, int plot) {
        s.append(String.format(Locale.ROOT, "<g class=\"axis\"><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\""
                + " stroke=\"#333\"/>\n", LABELS, y, LABELS + plot, y));
        double step = tickStep(seconds);
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
        for (int i = 0; i * step <= seconds * (1 + 1e-9); i++) {
            double t = i * step;
            double x = LABELS + t / seconds * plot;
            s.append(String.format(Locale.ROOT, "<line x1=\"%.2f\" y1=\"%d\" x2=\"%.2f\" y2=\"%d\" stroke=\"#333\"/>"
                    + "<text x=\"%.2f\" y=\"%d\" text-anchor=\"middle\">%." + decimals + "f s</text>\n",
                    x, y, x, y + 5, x, y + 18, t));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">seconds from"
                + " the run's start</text></g>\n", LABELS + plot / 2, y + 34));
    }

    /** A step of 1, 2 or 5 times a power of ten giving at most eight intervals over {@code seconds}. */
    static double tickStep(double seconds) {
        double raw = seconds / 8;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[]{1, 2, 5, 10}) {
            if (m * magnitude >= raw) {
                return m * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static double x(long nanos, long span, int plot) {
        return LABELS + (double) nanos / span * plot;
    }

    private static String seconds(long nanos) {
        double s = nanos / 1e9;
        return s >= 10 ? String.format(Locale.ROOT, "%.1f s", s)
                : s >= 0.01 ? String.format(Locale.ROOT, "%.3f s", s) : String.format(Locale.ROOT, "%.2f ms", s * 1e3);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
