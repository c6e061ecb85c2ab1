package org.jparallel.internal.magic;

import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.jparallel.api.PoolRun;

/**
 * How a notebook shows a {@link PoolRun} (a cell ending in {@code r}, {@code display(r)}): a snapshot of its
 * progress as the live display draws it, HTML with a plain-text twin, whether it still runs or how it ended,
 * its failures included. A run a magic started keeps the magic's title; any other is called "PoolRun".
 */
final class RunRendering {

    private RunRendering() {
    }

    /** Registers the rendering with the kernel's renderer, for every implementation of {@link PoolRun}. */
    static void register(Renderer renderer) {
        renderer.createRegistration(PoolRun.class)
                .preferring(MIMEType.TEXT_HTML)
                .supporting(MIMEType.TEXT_PLAIN, MIMEType.TEXT_HTML)
                .register((run, context) -> {
                    String title = BackgroundRun.titleOf(run);
                    ProgressView view = RunSource.now(run, title != null ? title : "PoolRun");
                    context.renderIfRequested(MIMEType.TEXT_PLAIN, () -> ProgressText.block(view));
                    context.renderIfRequested(MIMEType.TEXT_HTML, () -> ProgressHtml.render(view));
                });
    }
}
