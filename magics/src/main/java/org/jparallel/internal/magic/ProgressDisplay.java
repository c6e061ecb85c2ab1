package org.jparallel.internal.magic;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.jparallel.api.PoolRun;
import org.jparallel.api.WorkerException;
import org.jparallel.internal.launch.WorkerOutputPrinter;
import org.jparallel.internal.wire.ServiceThreads;
import org.jparallel.kernel.FrontEnd;
import org.jparallel.notebook.Notebook;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The live part of a run's progress: shows the first frame at once (before the run prints anything, so the
 * display stays above its output), redraws on a clock while the run lasts, and shows the final state. What
 * a frame says comes from a {@link Source} as a {@link ProgressView}; how it looks, from {@link ProgressHtml}
 * and {@link ProgressText}.
 *
 * <p>Forms: {@link Form#HTML} is one display updated in place ({@code update_display_data}); {@link Form#TEXT}
 * is a line on stderr redrawn with a carriage return, as tqdm does, for front ends that show a display once
 * and ignore its updates ({@code jupyter console}), ending with the final state on lines of their own;
 * {@link Form#NONE} shows nothing. Thread-safe.
 */
final class ProgressDisplay {

    /** Where frames come from. */
    interface Source {
        /** What the run looks like now, in the given state. */
        ProgressView view(ProgressView.State state);
    }

    /** How progress is shown. */
    enum Form {
        HTML, TEXT, NONE;

        /**
         * The system property that sets the form for every run of the kernel that does not say
         * {@code --progress}: {@code auto} (the default: text for a terminal, HTML otherwise), {@code html},
         * {@code text} or {@code none}. Read when a run starts.
         */
        static final String PROPERTY = "jparallel.progress";

        /**
         * The form to use: {@code option} ({@code --progress}) if given, else {@link #PROPERTY}; {@code auto}
         * picks text for a terminal front end and HTML for any other.
         *
         * @throws IllegalArgumentException naming the word that is none of auto, html, text, none
         */
        static Form choose(String option, FrontEnd frontEnd) {
            String word = option != null ? option : System.getProperty(PROPERTY, "auto");
            return switch (word.strip().toLowerCase(Locale.ROOT)) {
                case "auto" -> frontEnd == FrontEnd.TERMINAL ? TEXT : HTML;
                case "html" -> HTML;
                case "text" -> TEXT;
                case "none" -> NONE;
                default -> throw new IllegalArgumentException((option != null ? "--progress" : "system property " + PROPERTY)
                        + " is one of auto, html, text or none, not \"" + word + "\"");
            };
        }
    }

    /**
     * How often frames are redrawn while a run lasts: count, rate, elapsed time and ETA move at least once
     * a second, and a worker that stopped answering shows.
     */
    static final long REDRAW_MS = 500;
    /** A {@code WorkerPool} call made by notebook code shows a display only if it lasts longer than this. */
    static final long OBSERVED_FIRST_MS = 300;
    private static final ScheduledExecutorService CLOCK = Executors.newSingleThreadScheduledExecutor(
            body -> ServiceThreads.daemon(body, "jparallel-progress"));
    /** How late after {@link #OBSERVED_FIRST_MS} the display of an observed call may come. */
    static final long OBSERVED_BATCH_MS = 50;
    /** Displays of observed calls, shown if their call lasts {@value #OBSERVED_FIRST_MS} ms. */
    private static final DueDisplays OBSERVED = new DueDisplays(CLOCK, OBSERVED_FIRST_MS, OBSERVED_BATCH_MS);

    /** TEXT displays whose progress line is on the screen now. */
    private static final Set<ProgressDisplay> LINES_SHOWN = ConcurrentHashMap.newKeySet();

    private final Form form;
    private Source source;
    private ProgressView.State state = ProgressView.State.RUNNING;
    private String note;
    private ScheduledFuture<?> clock;
    private String displayId;
    /** TEXT: the length of the progress line on the screen, 0 when there is none. */
    private int lineLength;
    private boolean closed;

    ProgressDisplay(Form form) {
        this.form = form;
    }

    /**
     * Shows the progress of a {@code WorkerPool} call made by notebook code (the extension's
     * {@code RunObserver}) if it lasts more than {@value #OBSERVED_FIRST_MS} ms, in the form the front end
     * takes ({@link Form#PROPERTY} applies); the display shows the final state when the run ends.
     */
    static void observe(PoolRun<?> run, String call, FrontEnd frontEnd) {
        Form form;
        try {
            form = Form.choose(null, frontEnd);
        } catch (IllegalArgumentException e) {
            LoggerFactory.getLogger(ProgressDisplay.class).warn("{}: showing the progress of {} as HTML", e.getMessage(), call);
            form = Form.HTML;
        }
        if (form == Form.NONE) {
            return;
        }
        RunSource source = new RunSource(call, -1);
        source.follow(run);
        ProgressDisplay display = new ProgressDisplay(form);
        // closed when its run ends (closeWhenDone): a check that needs no lock of the pool's, unlike run.isDone()
        OBSERVED.add(display::isClosed, () -> display.open(source, null));
        display.closeWhenDone(run);
    }

    /**
     * Shows the final state when {@code run} ends, however it ends ({@link #outcome}), on the thread that ends it:
     * so the final frame is on its way before {@code cancel()} or {@code get()} return to the cell that called
     * them, and that cell's output carries it (a front end that reads a cell's messages only, as nbclient does,
     * would miss a frame sent a moment later). That thread may hold the pool's lock: a display never waits for
     * the pool while it holds its own lock (see {@link #redraw}).
     */
    void closeWhenDone(PoolRun<?> run) {
        run.toCompletableFuture().whenComplete((results, failure) -> close(outcome(failure)));
    }

    /**
     * The state to close a display with when its run ended with {@code failure} (null: it ran to its end):
     * {@code DONE} for a run that ran to its end, failed elements included (the counts then say failed);
     * timed out or cancelled for a run stopped so; failed for a run that could not go on (its input threw).
     */
    static ProgressView.State outcome(Throwable failure) {
        Throwable why = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (why == null || why instanceof WorkerException) {
            return ProgressView.State.DONE;
        }
        if (why instanceof CancellationException) {
            return why.getMessage() != null && why.getMessage().startsWith("timed out")
                    ? ProgressView.State.TIMED_OUT : ProgressView.State.CANCELLED;
        }
        return ProgressView.State.FAILED;
    }

    /**
     * The cell that started the run has ended and the run goes on. HTML: nothing changes, the clock goes on
     * redrawing the display until {@link #close}. TEXT: the front end shows nothing sent after the cell, so the
     * progress line gives way to {@code line}, and nothing more is drawn. NONE: nothing.
     */
    void inBackground(String line) {
        synchronized (WorkerOutputPrinter.terminal()) {
            synchronized (this) {
                if (form != Form.TEXT || closed) {
                    return;
                }
                closed = true;
                if (clock != null) {
                    clock.cancel(false);
                }
                makeRoom();
                System.err.println(line);
                System.err.flush();
            }
        }
    }

    /**
     * Shows the first frame now and redraws it every {@link #REDRAW_MS} ms until {@link #close}.
     *
     * @param startingNote what happens before the run can start ({@code starting 2 workers…}), shown until
     *                     {@link #running}; null if the run starts at once
     */
    void open(Source source, String startingNote) {
        synchronized (this) {
            if (closed) {
                return; // an observed run that ended before its display was due
            }
            this.source = source;
            if (startingNote != null) {
                state = ProgressView.State.STARTING;
                note = startingNote;
            }
            if (form == Form.NONE) {
                return;
            }
            clock = CLOCK.scheduleAtFixedRate(this::tick, REDRAW_MS, REDRAW_MS, TimeUnit.MILLISECONDS);
        }
        redraw();
    }

    /** The pool is up and the run starts: the next frames count elements. */
    void running() {
        synchronized (this) {
            if (state != ProgressView.State.STARTING) {
                return;
            }
            state = ProgressView.State.RUNNING;
            note = null;
        }
        redraw();
    }

    /**
     * Shows the final state and stops the clock; later calls do nothing.
     *
     * @param outcome {@code DONE} for a run that ran to its end (shown as failed or cancelled if elements
     *                were), or how it was stopped
     */
    void close(ProgressView.State outcome) {
        Source from;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (clock != null) {
                clock.cancel(false);
            }
            state = outcome;
            from = source;
            if (from == null || form == Form.NONE) {
                return;
            }
        }
        ProgressView last = frame(from, outcome, note());
        synchronized (WorkerOutputPrinter.terminal()) {
            show(last);
        }
    }

    /** Whether the display was closed: its run ended, or it gave way to the cell's next output. */
    synchronized boolean isClosed() {
        return closed;
    }

    private synchronized String note() {
        return note;
    }

    /** TEXT: erases the progress line before the run's output is written; the next frame draws it below. */
    synchronized void makeRoom() {
        if (lineLength > 0) {
            System.err.print("\r" + " ".repeat(lineLength) + "\r");
            System.err.flush();
            lineLength = 0;
        }
        LINES_SHOWN.remove(this);
    }

    /**
     * Erases every progress line on the screen (TEXT), whichever run drew it: what any worker prints goes to
     * the same terminal, below the line of a {@code WorkerPool} call as below a magic's (the extension installs
     * this as {@code WorkerOutputPrinter.beforeAnyWrite}).
     */
    static void makeRoomForAll() {
        for (ProgressDisplay display : LINES_SHOWN) {
            display.makeRoom();
        }
    }

    /**
     * A frame on the clock. A frame that fails is logged and the clock goes on: a periodic task that throws
     * is never run again, and the display would freeze with the run still going.
     */
    private void tick() {
        try {
            redraw();
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(ProgressDisplay.class).warn("could not redraw the progress display", e);
        }
    }

    /**
     * Draws a frame of the state now, unless the display is closed (its final frame is drawn by {@link #close}).
     * The frame is made without this display's lock, as making it takes the pool's: a pool thread that holds
     * the pool's lock may need this one (its run ends, its workers' output makes room), so holding this one
     * while waiting for the pool's could deadlock.
     */
    private void redraw() {
        Source from;
        ProgressView.State now;
        String noteNow;
        synchronized (this) {
            if (closed || source == null || form == Form.NONE) {
                return;
            }
            from = source;
            now = state;
            noteNow = note;
        }
        ProgressView view = frame(from, now, noteNow);
        synchronized (WorkerOutputPrinter.terminal()) { // before this display's lock, as a printer takes them
            synchronized (this) {
                if (!closed && state == now) { // else a later frame is drawn by whoever changed it
                    show(view);
                }
            }
        }
    }

    private static ProgressView frame(Source source, ProgressView.State state, String note) {
        ProgressView view = source.view(state);
        if (state == ProgressView.State.DONE) {
            view = source.view(view.ended()); // a run that was not stopped: its counts say how it ended
        }
        return note != null ? view.withNote(note) : view;
    }

    private synchronized void show(ProgressView view) {
        if (form == Form.TEXT) {
            drawText(view);
            return;
        }
        DisplayData data = new DisplayData(ProgressText.block(view));
        data.putHTML(ProgressHtml.render(view));
        if (displayId == null) {
            displayId = Notebook.display(data);
        } else {
            Notebook.updateDisplay(displayId, data);
        }
    }

    private void drawText(ProgressView view) {
        if (view.state().over()) {
            makeRoom();
            System.err.println(ProgressText.block(view));
        } else {
            String line = ProgressText.line(view);
            System.err.print("\r" + line + " ".repeat(Math.max(0, lineLength - line.length())));
            lineLength = line.length();
            LINES_SHOWN.add(this);
        }
        System.err.flush();
    }
}
