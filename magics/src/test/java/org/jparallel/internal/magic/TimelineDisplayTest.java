package org.jparallel.internal.magic;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.jparallel.api.RunTimeline;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A {@link RunTimeline} rendered by the kernel's own {@link Renderer} once the extension registered it. */
class TimelineDisplayTest {

    private static final RunTimeline TIMELINE = new RunTimeline(Instant.now(), 1_000_000_000L, true, 0, List.of(
            new RunTimeline.Row(0, 321, 900_000_000L, List.of(new RunTimeline.Span(0, 9, 10, 1, 0, 900_000_000L,
                    RunTimeline.Outcome.DONE)))));

    @Test
    void aTimelineRendersAsItsSvgInlineInHtmlAsAnSvgImageAndAsText() {
        Renderer renderer = new Renderer();
        TimelineDisplay.register(renderer);
        DisplayData shown = renderer.render(TIMELINE);
        String html = (String) shown.getData(MIMEType.TEXT_HTML);
        String svg = (String) shown.getData(MIMEType.IMAGE_SVG);
        assertTrue(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""), svg);
        assertTrue(html.contains(svg), html);
        assertEquals(TIMELINE.toString(), shown.getData(MIMEType.TEXT_PLAIN));
        assertTrue(svg.contains("worker 0 · pid 321") && svg.contains("class=\"span done\""), svg);
    }
}
