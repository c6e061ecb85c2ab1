package org.jparallel.internal.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.jparallel.api.RunTimeline;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/**
 * A {@link RunTimeline} in the Chrome trace event format (the JSON that Perfetto, {@code chrome://tracing} and
 * Ray's {@code ray.timeline} read): an object with {@code traceEvents}, {@code displayTimeUnit} and
 * {@code otherData}. The run is process 1, named by a {@code process_name} event; each worker row is a thread of
 * it (tid = its row, from 1), named "worker N (pid P)" and sorted by row, so each worker is a row of the view.
 * Each span is a complete event ({@code "ph": "X"}) with {@code ts} and {@code dur} in microseconds from the
 * run's start, category its outcome, and the elements, tasks and outcome as {@code args}. Written here because
 * the codec is where JSON is written (with Jackson's streaming API, as values are).
 */
public final class ChromeTrace {

    private static final JsonFactory JSON = new JsonFactory();
    /** The trace's one process: the run. */
    private static final int RUN_PID = 1;

    private ChromeTrace() {
    }

    /** The trace of {@code timeline}, as JSON text. */
    public static String of(RunTimeline timeline) {
        StringWriter text = new StringWriter();
        try (JsonGenerator out = JSON.createGenerator(text)) {
            out.writeStartObject();
            out.writeArrayFieldStart("traceEvents");
            metadata(out, "process_name", 0, "name", "jparallel run started " + timeline.started());
            List<RunTimeline.Row> rows = timeline.rows();
            for (int i = 0; i < rows.size(); i++) {
                RunTimeline.Row row = rows.get(i);
                int tid = i + 1;
                metadata(out, "thread_name", tid, "name", "worker " + row.worker() + " (pid " + row.pid() + ")");
                metadata(out, "thread_sort_index", tid, "sort_index", tid);
                for (RunTimeline.Span span : row.spans()) {
                    span(out, tid, row, span);
                }
            }
            out.writeEndArray();
            out.writeStringField("displayTimeUnit", "ms");
            out.writeObjectFieldStart("otherData");
            out.writeStringField("started", timeline.started().toString());
            out.writeNumberField("lengthMicros", timeline.length().toNanos() / 1e3);
            out.writeBooleanField("finished", timeline.finished());
            out.writeNumberField("mergedBelowMicros", timeline.mergedBelow().toNanos() / 1e3);
            out.writeEndObject();
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a trace to a string", e); // a StringWriter does not fail
        }
        return text.toString();
    }

    private static void metadata(JsonGenerator out, String name, int tid, String arg, Object value) throws IOException {
        out.writeStartObject();
        out.writeStringField("name", name);
        out.writeStringField("ph", "M");
        out.writeNumberField("pid", RUN_PID);
        out.writeNumberField("tid", tid);
        out.writeObjectFieldStart("args");
        if (value instanceof Integer n) {
            out.writeNumberField(arg, n);
        } else {
            out.writeStringField(arg, String.valueOf(value));
        }
        out.writeEndObject();
        out.writeEndObject();
    }

    private static void span(JsonGenerator out, int tid, RunTimeline.Row row, RunTimeline.Span span) throws IOException {
        String outcome = span.outcome().name().toLowerCase(Locale.ROOT);
        out.writeStartObject();
        out.writeStringField("name", span.label());
        out.writeStringField("cat", outcome);
        out.writeStringField("ph", "X");
        out.writeNumberField("ts", span.startNanos() / 1e3);
        out.writeNumberField("dur", (span.endNanos() - span.startNanos()) / 1e3);
        out.writeNumberField("pid", RUN_PID);
        out.writeNumberField("tid", tid);
        out.writeObjectFieldStart("args");
        out.writeStringField("outcome", outcome);
        out.writeNumberField("worker", row.worker());
        out.writeNumberField("workerPid", row.pid());
        out.writeNumberField("firstElement", span.firstElement());
        out.writeNumberField("lastElement", span.lastElement());
        out.writeNumberField("elements", span.elements());
        out.writeNumberField("tasks", span.tasks());
        out.writeEndObject();
        out.writeEndObject();
    }
}
