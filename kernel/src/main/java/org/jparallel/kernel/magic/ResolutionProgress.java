package org.jparallel.kernel.magic;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.eclipse.aether.transfer.AbstractTransferListener;
import org.eclipse.aether.transfer.TransferEvent;
import org.eclipse.aether.transfer.TransferResource;
import org.jparallel.kernel.FrontEnd;
import org.jparallel.kernel.JavaKernel;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The line a resolving cell shows while it downloads: the file being fetched and the bytes so far. In a
 * notebook it is one display updated in place; in a terminal ({@code jupyter console}) a line on stderr
 * redrawn with a carriage return. Nothing is shown when everything was in the local repository.
 * Transfers are reported from Maven Resolver's threads, hence the locking.
 */
final class ResolutionProgress extends AbstractTransferListener implements AutoCloseable {

    /** Redraws no more often than this: a 2 MB jar reports progress every few kB. */
    private static final long REDRAW_NANOS = 100_000_000L;

    private final JavaKernel kernel;
    private final boolean terminal;
    private final Map<TransferResource, Long> inFlight = new LinkedHashMap<>();
    private String displayId;
    private int files;
    private long bytes;
    private long lastDraw;
    private int lineLength;

    private ResolutionProgress(JavaKernel kernel) {
        this.kernel = kernel;
        this.terminal = kernel.frontEnd() == FrontEnd.TERMINAL;
    }

    static ResolutionProgress open(JavaKernel kernel) {
        return new ResolutionProgress(kernel);
    }

    @Override
    public synchronized void transferStarted(TransferEvent event) {
        if (event.getRequestType() == TransferEvent.RequestType.GET) {
            inFlight.put(event.getResource(), 0L);
            draw(true);
        }
    }

    @Override
    public synchronized void transferProgressed(TransferEvent event) {
        if (inFlight.containsKey(event.getResource())) {
            inFlight.put(event.getResource(), event.getTransferredBytes());
            draw(false);
        }
    }

    @Override
    public synchronized void transferSucceeded(TransferEvent event) {
        if (inFlight.remove(event.getResource()) != null) {
            files++;
            bytes += event.getTransferredBytes();
            draw(false);
        }
    }

    @Override
    public synchronized void transferFailed(TransferEvent event) {
        inFlight.remove(event.getResource());
    }

    @Override
    public synchronized void transferCorrupted(TransferEvent event) {
        inFlight.remove(event.getResource());
    }

    private void draw(boolean now) {
        long t = System.nanoTime();
        if (!now && t - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = t;
        StringBuilder line = new StringBuilder("Downloading");
        inFlight.forEach((r, done) -> line.append(' ').append(r.getResourceName()
                .substring(r.getResourceName().lastIndexOf('/') + 1)).append(' ')
                .append(size(done)).append(r.getContentLength() > 0 ? "/" + size(r.getContentLength()) : ""));
        line.append(" (").append(files).append(files == 1 ? " file, " : " files, ").append(size(bytes)).append(" done)");
        show(line.toString());
    }

    private void show(String line) {
        if (terminal) {
            System.err.print("\r" + line + " ".repeat(Math.max(0, lineLength - line.length())));
            lineLength = line.length();
            return;
        }
        DisplayData data = new DisplayData(line);
        if (displayId == null) {
            displayId = UUID.randomUUID().toString();
            data.setDisplayId(displayId);
            kernel.notebookIO().display(data);
        } else {
            data.setDisplayId(displayId);
            kernel.notebookIO().updateDisplay(data);
        }
    }

    /** Ends the line with the totals, if anything was downloaded. */
    @Override
    public synchronized void close() {
        if (files == 0 && lineLength == 0 && displayId == null) {
            return;
        }
        inFlight.clear();
        String done = "Downloaded " + files + (files == 1 ? " file, " : " files, ") + size(bytes);
        if (terminal) {
            System.err.println("\r" + done + " ".repeat(Math.max(0, lineLength - done.length())));
        } else {
            show(done);
        }
    }

    private static String size(long n) {
        return n < 1024 ? n + " B" : n < 1024 * 1024 ? (n / 1024) + " kB" : String.format("%.1f MB", n / 1048576.0);
    }
}
