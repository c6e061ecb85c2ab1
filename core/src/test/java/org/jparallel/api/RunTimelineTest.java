package org.jparallel.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@link RunTimeline} made by hand (three workers: one with a span of each outcome, a replacement, an idle
 * one) drawn as SVG — parsed back as XML — and written as a Chrome trace — parsed back as JSON.
 */
class RunTimelineTest {

    private static final long MS = 1_000_000;

    private static RunTimeline.Span span(long first, long last, long startMs, long endMs, RunTimeline.Outcome outcome) {
        return new RunTimeline.Span(first, last, last - first + 1, 1, startMs * MS, endMs * MS, outcome);
    }

    private static final RunTimeline TIMELINE = new RunTimeline(Instant.parse("2026-12-07T12:00:00Z"), 2_500 * MS, true,
            0, List.of(
            new RunTimeline.Row(0, 4101, 1_900 * MS, List.of(
                    span(0, 9, 0, 800, RunTimeline.Outcome.DONE),
                    span(10, 19, 900, 1_200, RunTimeline.Outcome.FAILED),
                    span(20, 24, 1_200, 2_000, RunTimeline.Outcome.DONE))),
            new RunTimeline.Row(1, 4102, 700 * MS, List.of(
                    span(30, 39, 0, 700, RunTimeline.Outcome.RETRIED))),
            new RunTimeline.Row(1, 4200, 1_300 * MS, List.of(
                    span(30, 30, 1_000, 1_100, RunTimeline.Outcome.DONE),
                    span(31, 31, 1_100, 1_200, RunTimeline.Outcome.LOST),
                    span(40, 49, 1_300, 2_400, RunTimeline.Outcome.CANCELLED))),
            new RunTimeline.Row(2, 4103, 0, List.of())));

    private static Document xml(String text) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Element> elements(Document doc, String tag) {
        NodeList nodes = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", tag);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add((Element) nodes.item(i));
        }
        return out;
    }

    @Test
    void theSvgIsAWellFormedGanttChartWithARowPerWorkerABarPerSpanALegendAndAnAxis() throws Exception {
        Document svg = xml(TIMELINE.toSvg());
        assertEquals("svg", svg.getDocumentElement().getLocalName());
        List<Element> rows = elements(svg, "g").stream().filter(g -> g.getAttribute("class").equals("worker")).toList();
        assertEquals(List.of("4101", "4102", "4200", "4103"), rows.stream().map(g -> g.getAttribute("data-pid")).toList());
        assertEquals("worker 0 · pid 4101", rows.get(0).getElementsByTagNameNS("*", "text").item(0).getTextContent());
        List<Element> bars = elements(svg, "rect").stream().filter(r -> r.getAttribute("class").startsWith("span ")).toList();
        assertEquals(7, bars.size());
        for (String outcome : List.of("done", "failed", "cancelled", "retried", "lost")) {
            assertTrue(bars.stream().anyMatch(b -> b.getAttribute("class").equals("span " + outcome)), outcome);
            assertTrue(elements(svg, "text").stream().anyMatch(t -> t.getTextContent().equals(outcome)), "legend " + outcome);
        }
        assertEquals(0, rows.get(3).getElementsByTagNameNS("*", "title").getLength(), "the idle worker has no bar");
        Element failed = bars.stream().filter(b -> b.getAttribute("class").equals("span failed")).findFirst().orElseThrow();
        assertEquals("worker 0 (pid 4101): elements 10-19, failed, 0.300 s (0.900 s to 1.200 s)",
                failed.getElementsByTagNameNS("*", "title").item(0).getTextContent());
        // bars are placed in time: the failed one starts after the done one ends, leaving an idle gap
        Element done = bars.get(0);
        double doneEnd = Double.parseDouble(done.getAttribute("x")) + Double.parseDouble(done.getAttribute("width"));
        assertTrue(Double.parseDouble(failed.getAttribute("x")) - doneEnd > 10, "a 100 ms gap of a 2.5 s run is visible");
        List<String> ticks = elements(svg, "text").stream().map(Element::getTextContent).filter(t -> t.endsWith(" s"))
                .filter(t -> t.matches("[0-9.]+ s")).toList();
        assertEquals(List.of("0.0 s", "0.5 s", "1.0 s", "1.5 s", "2.0 s", "2.5 s"), ticks);
    }

    @Test
    void spansTooNarrowToSeeAreDrawnTogetherInBarsOfTwoPixels() throws Exception {
        List<RunTimeline.Span> many = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            many.add(new RunTimeline.Span(i, i, 1, 1, i * 100_000L, i * 100_000L + 90_000, RunTimeline.Outcome.DONE));
        }
        RunTimeline timeline = new RunTimeline(Instant.now(), 1_000 * MS, true, 0,
                List.of(new RunTimeline.Row(0, 1, 900 * MS, many)));
        String svg = timeline.toSvg();
        List<Element> bars = elements(xml(svg), "rect").stream()
                .filter(r -> r.getAttribute("class").startsWith("span ")).toList();
        // 10,000 spans of 0.07 pixels on a 736-pixel axis: bars of two pixels, together every task
        assertTrue(bars.size() >= 300 && bars.size() <= 400, bars.size() + " bars");
        int tasks = 0;
        for (Element bar : bars) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) tasks, ").matcher(bar.getTextContent());
            tasks += m.find() ? Integer.parseInt(m.group(1)) : 1;
        }
        assertEquals(10_000, tasks);
        assertTrue(svg.length() < 100_000, svg.length() + " characters");
    }

    @Test
    void theChromeTraceHasACompleteEventPerSpanOnAThreadPerWorker(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("run.trace.json");
        TIMELINE.writeChromeTrace(file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        @SuppressWarnings("unchecked")
        Map<String, Object> trace = (Map<String, Object>) json(Files.readString(file));
        assertEquals(TIMELINE.toChromeTrace(), Files.readString(file));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> events = (List<Map<String, Object>>) trace.get("traceEvents");
        List<Map<String, Object>> complete = events.stream().filter(e -> "X".equals(e.get("ph"))).toList();
        assertEquals(7, complete.size());
        Map<String, Object> failed = complete.stream().filter(e -> "failed".equals(e.get("cat"))).findFirst().orElseThrow();
        assertEquals("elements 10-19", failed.get("name"));
        assertEquals(900_000.0, ((Number) failed.get("ts")).doubleValue());
        assertEquals(300_000.0, ((Number) failed.get("dur")).doubleValue());
        assertEquals(1, ((Number) failed.get("tid")).intValue());
        Map<Object, String> threads = new LinkedHashMap<>();
        for (Map<String, Object> e : events) {
            if ("M".equals(e.get("ph")) && "thread_name".equals(e.get("name"))) {
                threads.put(((Number) e.get("tid")).intValue(), (String) ((Map<?, ?>) e.get("args")).get("name"));
            }
        }
        assertEquals(Map.of(1, "worker 0 (pid 4101)", 2, "worker 1 (pid 4102)", 3, "worker 1 (pid 4200)",
                4, "worker 2 (pid 4103)"), threads);
        assertTrue(complete.stream().allMatch(e -> ((Number) e.get("pid")).intValue() == 1), "one process: the run");
        assertEquals("ms", trace.get("displayTimeUnit"));
        assertEquals(Map.of("outcome", "retried", "worker", 1, "workerPid", 4102, "firstElement", 30,
                "lastElement", 39, "elements", 10, "tasks", 1), complete.stream()
                .filter(e -> "retried".equals(e.get("cat"))).findFirst().orElseThrow().get("args"));
    }

    /** JSON text as maps, lists, strings, numbers, booleans and nulls. */
    private static Object json(String text) throws IOException {
        try (JsonParser in = new JsonFactory().createParser(text)) {
            in.nextToken();
            return value(in);
        }
    }

    private static Object value(JsonParser in) throws IOException {
        JsonToken token = in.currentToken();
        switch (token) {
            case START_OBJECT: {
                Map<String, Object> map = new LinkedHashMap<>();
                while (in.nextToken() == JsonToken.FIELD_NAME) {
                    String name = in.currentName();
                    in.nextToken();
                    map.put(name, value(in));
                }
                return map;
            }
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                while (in.nextToken() != JsonToken.END_ARRAY) {
                    list.add(value(in));
                }
                return list;
            }
            case VALUE_STRING:
                return in.getText();
            case VALUE_NUMBER_INT:
                return in.getIntValue();
            case VALUE_NUMBER_FLOAT:
                return in.getDoubleValue();
            case VALUE_TRUE:
            case VALUE_FALSE:
                return in.getBooleanValue();
            default:
                return null;
        }
    }
}
