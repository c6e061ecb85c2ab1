package org.jparallel.internal.magic;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A progress view as text and as HTML, in each state a run can be in: pure functions, no kernel. */
class ProgressRenderingTest {

    private static final String TITLE = "%%parallel --map x:xs";

    private static ProgressView view(ProgressView.State state, long done, long failed, long cancelled, long total,
                                     List<ProgressView.Row> rows, List<String> failures) {
        return new ProgressView(TITLE, state, done, failed, cancelled, total, 10.0, total > 0 ? 5.0 : -1, rows,
                failures, 0, null);
    }

    private static ProgressView.Row row(int index, ProgressView.WorkerCondition condition, long done, double silent) {
        return new ProgressView.Row(index, 100 + index, condition, done, 0, 0, 2.5, silent, 0);
    }

    @Test
    void startingSaysWhatItWaitsFor() {
        ProgressView v = view(ProgressView.State.STARTING, 0, 0, 0, 1000, List.of(), List.of())
                .withNote("starting 2 workers…");
        assertEquals("[....................] starting 2 workers…", ProgressText.line(v));
        String html = ProgressHtml.render(v);
        assertTrue(html.contains("data-state=\"starting\""), html);
        assertTrue(html.contains("%%parallel --map x:xs: starting 2 workers…"), html);
    }

    @Test
    void runningShowsTheTotalRateEtaAndWhatEachWorkerDoes() {
        ProgressView v = view(ProgressView.State.RUNNING, 250, 0, 0, 1000,
                List.of(row(0, ProgressView.WorkerCondition.BUSY, 130, -1),
                        row(1, ProgressView.WorkerCondition.UNRESPONSIVE, 120, 4.0)), List.of());
        assertEquals("[#####...............] 250/1000 · 10.0 s · 25.0/s · ETA 5.0 s · running", ProgressText.line(v));
        String block = ProgressText.block(v);
        assertTrue(block.startsWith("[#####...............] %%parallel --map x:xs: 250/1000 · 10.0 s"), block);
        assertTrue(block.contains("worker 0  pid 100     busy          130 done · task running for 2.5 s"), block);
        assertTrue(block.contains("worker 1  pid 101     not answering 120 done · not answering for 4.0 s"), block);
        String html = ProgressHtml.render(v);
        assertTrue(html.contains("data-state=\"running\" data-done=\"250\" data-total=\"1000\""), html);
        assertTrue(html.contains("aria-valuenow=\"250\""), html);
        assertTrue(html.contains("title=\"250 done\" style=\"width:25.00%;background:#1f6fb2\""), html);
        // an unresponsive worker is marked in words and with a sign, not by colour alone
        assertTrue(html.contains("font-weight:bold\">⚠ not answering</td>"), html);
    }

    @Test
    void aLazyInputShowsAQuestionMarkAndNoEta() {
        ProgressView v = view(ProgressView.State.RUNNING, 42, 0, 0, -1, List.of(), List.of());
        assertEquals("[....................] 42/? · 10.0 s · 4.2/s · running", ProgressText.line(v));
        assertTrue(ProgressHtml.render(v).contains("42/? · 10.0 s"));
    }

    @Test
    void doneIsGreenWithACheckAndNoEta() {
        ProgressView v = view(ProgressView.State.DONE, 1000, 0, 0, 1000,
                List.of(row(0, ProgressView.WorkerCondition.IDLE, 1000, -1)), List.of());
        assertEquals("[####################] 1000/1000 · 10.0 s · 100.0/s · done", ProgressText.line(v));
        assertTrue(ProgressText.block(v).endsWith("\n  worker 0  pid 100     idle          1000 done"), ProgressText.block(v));
        String html = ProgressHtml.render(v);
        assertTrue(html.contains("background:#2e7d32"), html);
        assertTrue(html.contains("✓</span>"), html);
    }

    @Test
    void failedShowsFailuresInRedAndCountsThem() {
        ProgressView v = new ProgressView(TITLE, ProgressView.State.FAILED, 990, 10, 0, 1000, 10.0, -1, List.of(),
                List.of("worker 0 (pid 100), element 7 (= 7): java.lang.ArithmeticException: / by zero"), 9, null);
        assertEquals("[####################] 1000/1000 (10 failed) · 10.0 s · 100.0/s · failed", ProgressText.line(v));
        String block = ProgressText.block(v);
        assertTrue(block.contains("\n  failed: worker 0 (pid 100), element 7 (= 7): java.lang.ArithmeticException: / by zero"
                + "\n  … 9 more failed"), block);
        String html = ProgressHtml.render(v);
        assertTrue(html.contains("title=\"10 failed\" style=\"width:1.00%;background:#c62828\""), html);
        assertTrue(html.contains("✗</span>"), html);
    }

    /** The defect: an interrupted run read "200/200 (158 failed) … interrupted" in a full blue bar. */
    @Test
    void anInterruptedRunIsNeverShownAsFailed() {
        ProgressView v = view(ProgressView.State.INTERRUPTED, 42, 0, 158, 200, List.of(), List.of());
        String line = ProgressText.line(v);
        assertEquals("[####----------------] 200/200 (158 cancelled) · 10.0 s · 20.0/s · interrupted", line);
        assertFalse(line.contains("failed"), line);
        String html = ProgressHtml.render(v);
        assertFalse(html.contains("failed"), html);
        assertFalse(html.contains("#1f6fb2;"), html); // no blue: the run is not running
        assertTrue(html.contains("title=\"42 done\" style=\"width:21.00%;background:#2e7d32\""), html);
        assertTrue(html.contains("title=\"158 cancelled\" style=\"width:79.00%;background:repeating-linear-gradient"), html);
        assertTrue(html.contains("■</span>"), html);
        assertTrue(html.contains("data-state=\"interrupted\""), html);
    }

    @Test
    void cancelledAndTimedOutAreStatesOfTheirOwn() {
        assertTrue(ProgressText.line(view(ProgressView.State.CANCELLED, 10, 0, 5, 15, List.of(), List.of()))
                .endsWith("15/15 (5 cancelled) · 10.0 s · 1.5/s · cancelled"));
        ProgressView timedOut = view(ProgressView.State.TIMED_OUT, 10, 0, 5, 100, List.of(), List.of());
        assertTrue(ProgressText.line(timedOut).endsWith("15/100 (5 cancelled) · 10.0 s · 1.5/s · timed out"));
        assertTrue(ProgressHtml.render(timedOut).contains("data-state=\"timed_out\""));
    }

    @Test
    void htmlEscapesWhatItShows() {
        ProgressView v = new ProgressView("<b>&", ProgressView.State.FAILED, 0, 1, 0, 1, 1.0, -1, List.of(),
                List.of("element 0 (= \"<x>\"): boom"), 0, null);
        String html = ProgressHtml.render(v);
        assertTrue(html.contains("&lt;b&gt;&amp;: 1/1"), html);
        assertTrue(html.contains("failed: element 0 (= &quot;&lt;x&gt;&quot;): boom"), html);
        assertFalse(html.contains("<b>&"), html);
    }
}
