package org.jparallel.internal.magic;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.jparallel.api.RunTimeline;

/**
 * How a {@link RunTimeline} shows in a notebook: its Gantt chart as {@code text/html} (the SVG inline, so that
 * the bars' tooltips work in Notebook and Lab, which show {@code image/svg+xml} as an image, and so that
 * exported HTML keeps it), as {@code image/svg+xml} for front ends that take images only, and a line per worker
 * as {@code text/plain} for text front ends. Registered with the kernel's renderer, so a cell whose value is a
 * timeline ({@code r.timeline()}) shows the chart; {@code %pool timeline} shows the same.
 */
final class TimelineDisplay {

    private TimelineDisplay() {
    }

    /** Makes {@code renderer} show every {@link RunTimeline} as {@link #of} does. */
    static void register(Renderer renderer) {
        renderer.createRegistration(RunTimeline.class)
                .preferring(MIMEType.TEXT_HTML, MIMEType.IMAGE_SVG, MIMEType.TEXT_PLAIN)
                .register((timeline, context) -> {
                    DisplayData shown = of(timeline);
                    for (MIMEType type : new MIMEType[]{MIMEType.TEXT_HTML, MIMEType.IMAGE_SVG, MIMEType.TEXT_PLAIN}) {
                        context.renderIfRequested(type, () -> shown.getData(type));
                    }
                });
    }

    /** The display data of {@code timeline}: HTML holding the SVG, the SVG, and text. */
    static DisplayData of(RunTimeline timeline) {
        String svg = timeline.toSvg();
        DisplayData data = new DisplayData(timeline.toString());
        data.putHTML("<div class=\"jparallel-timeline-view\">" + svg + "</div>");
        data.putSVG(svg);
        return data;
    }
}
