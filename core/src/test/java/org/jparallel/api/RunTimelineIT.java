package org.jparallel.api;

import org.jparallel.testing.Await;
import org.jparallel.testing.OnWorker;
import org.jparallel.testing.Pools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The timeline of a run on real workers: an element that throws and a worker killed in the middle of a chunk
 * show as a failed span and a retried one, the killed chunk's elements run again one by one on other rows, and
 * no worker's spans overlap. No sleep: the test waits for a marker file the doomed task writes.
 */
class RunTimelineIT {

    @TempDir
    Path dir;

    @Test
    void aFailedElementAndAWorkerKilledMidChunkShowAsFailedAndRetriedSpans() throws Exception {
        Path marker = dir.resolve("victim");
        String markerPath = marker.toString();
        try (WorkerPool pool = Pools.start(2)) {
            List<Integer> xs = IntStream.range(0, 12).boxed().collect(Collectors.toList());
            PoolRun<Integer> run = pool.submit(x -> {
                if (x == 4) {
                    throw new IllegalArgumentException("bad element 4");
                }
                Path m = Path.of(markerPath);
                if (x == 9 && !Files.exists(m)) {
                    OnWorker.publish(m, Long.toString(ProcessHandle.current().pid()));
                    for (int i = 0; i < 600; i++) {
                        OnWorker.sleep(100); // killed from outside long before this ends
                    }
                }
                return x * 2;
            }, xs, RunOptions.defaults().chunkSize(3));
            Await.until("element 9 to start", Pools.READY, () -> Files.exists(marker));
            long victim = Long.parseLong(Files.readString(marker).trim());
            assertTrue(ProcessHandle.of(victim).orElseThrow().destroyForcibly());
            WorkerException e = assertThrows(WorkerException.class,
                    () -> assertTimeoutPreemptively(Duration.ofSeconds(60), () -> run.get()));
            assertEquals(List.of(4L), e.failures().stream().map(TaskFailure::element).toList());

            RunTimeline timeline = run.timeline();
            assertTrue(timeline.finished());
            RunTimeline.Row killed = timeline.rows().stream().filter(r -> r.pid() == victim).findFirst().orElseThrow();
            RunTimeline.Span retried = killed.spans().get(killed.spans().size() - 1);
            assertEquals(RunTimeline.Outcome.RETRIED, retried.outcome(), killed.toString());
            assertEquals(9, retried.firstElement());
            assertEquals(11, retried.lastElement());

            List<RunTimeline.Span> all = timeline.rows().stream().flatMap(r -> r.spans().stream()).toList();
            RunTimeline.Span failed = all.stream().filter(s -> s.outcome() == RunTimeline.Outcome.FAILED)
                    .findFirst().orElseThrow();
            assertEquals(3, failed.firstElement());
            assertEquals(5, failed.lastElement());
            // every element is covered once by a span that is not the retried one; 9 to 11 one by one after it
            Set<Long> covered = new TreeSet<>();
            for (RunTimeline.Span s : all) {
                if (s.outcome() != RunTimeline.Outcome.RETRIED) {
                    for (long i = s.firstElement(); i <= s.lastElement(); i++) {
                        assertTrue(covered.add(i), "element " + i + " twice: " + timeline);
                    }
                }
            }
            assertEquals(12, covered.size());
            List<RunTimeline.Span> again = all.stream().filter(s -> s.firstElement() >= 9
                    && s.outcome() == RunTimeline.Outcome.DONE).toList();
            assertEquals(3, again.size());
            assertTrue(again.stream().allMatch(s -> s.elements() == 1 && s.startNanos() >= retried.endNanos()));
            assertTrue(timeline.rows().stream().filter(r -> r.pid() != victim).allMatch(r -> !r.spans().isEmpty()));

            for (RunTimeline.Row row : timeline.rows()) {
                List<RunTimeline.Span> spans = new ArrayList<>(row.spans());
                for (int i = 1; i < spans.size(); i++) {
                    assertTrue(spans.get(i).startNanos() >= spans.get(i - 1).endNanos(), "overlap on " + row);
                }
                for (RunTimeline.Span s : spans) {
                    assertTrue(s.startNanos() >= 0 && s.endNanos() <= timeline.length().toNanos(), s.toString());
                }
            }
            String svg = timeline.toSvg();
            assertTrue(svg.contains("class=\"span retried\"") && svg.contains("class=\"span failed\"")
                    && svg.contains("pid " + victim), svg);
            String trace = timeline.toChromeTrace();
            assertTrue(trace.contains("\"cat\":\"retried\"") && trace.contains("(pid " + victim + ")"), trace);
            assertFalse(timeline.rows().isEmpty());
        }
    }
}
