package org.jparallel.internal.launch;

import org.jparallel.internal.wire.ServiceThreads;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Prints what workers print, to this JVM's {@code System.out} and {@code System.err} (in a notebook,
 * the running cell), with a label line {@code [worker 1 · pid 4242]} whenever the writer changes, so
 * each worker's output reads as a group. What a worker writes outside any task (its own log, a thread
 * a task left running) has a printer of its own, whose label says so:
 * {@code [worker 1 · pid 4242 · outside any task]}; so has what the pool's initializer prints.
 *
 * <p><b>Limit.</b> Megabytes of text make a notebook slow to show and to save (Jupyter's own server
 * stops forwarding output above 1 MB/s, its {@code iopub_data_rate_limit}), so at most
 * {@link #LIMIT_PROPERTY} bytes (UTF-8, default {@value #DEFAULT_LIMIT_TEXT}) of each writer's output are
 * shown per section (per run or cell; for a stand-alone process, over its life). The first three
 * quarters show as they arrive; when the writer is {@linkplain #finish() done}, the last eighth of its
 * stdout and of its stderr, so the end of each, its last lines, always shows. When the first part is
 * full a line says so, and before the end a notice says how much was left out:
 * {@code … 12.3 MB (12,345,678 bytes) of output from worker 1 (pid 4242) not shown}. Cuts fall between
 * lines where the text has line breaks.
 *
 * <p><b>Groups.</b> Workers of a run print at the same time, and a label before every line they take turns
 * on would double a cell's lines. So one writer has the floor: its text is printed as it comes, and what
 * the others print meanwhile is held, each writer's in order, until the floor passes — once the writer
 * that has it has been quiet for {@value #QUIET_MS} ms, or has had it for {@value #TURN_MS} ms — when every
 * held writer's text is printed as a group under its label. So each label heads up to a second of that
 * writer's output, and nothing waits longer than about a second; {@link #finish()} prints all that is held.
 * Thread-safe.
 */
public final class WorkerOutputPrinter {

    /**
     * The system property that sets how much of each writer's output is shown per run: a byte count,
     * optionally with {@code k}, {@code m} or {@code g} (binary, as in {@code -Xmx}), at least {@code 1k};
     * {@code 0} shows everything. Read when a run starts, and for a stand-alone process's output when it
     * goes to another cell.
     */
    public static final String LIMIT_PROPERTY = "jparallel.output.limit";
    private static final String DEFAULT_LIMIT_TEXT = "2m";

    /** What one writer printed in this section, as far as the limit is concerned. */
    private static final class Budget {
        final String writer;
        final long pid;
        /** Bytes shown as they arrived. */
        long shown;
        /** Whether the shown part is full: text goes to the tail. */
        boolean holding;
        /** Bytes dropped from the front of the tail, not shown. */
        long hidden;
        /** The text held back, both streams in the order it arrived. */
        final List<Piece> tail = new ArrayList<>();
        /** Per stream (stdout, stderr): bytes in the tail. */
        final long[] tailBytes = new long[2];
        /** Per stream: whether the last drop from the front of its tail cut a line. */
        final boolean[] cutMidLine = new boolean[2];

        Budget(String writer, long pid) {
            this.writer = writer;
            this.pid = pid;
        }
    }

    private record Piece(boolean error, String text, long bytes) {
        int stream() {
            return error ? 1 : 0;
        }
    }

    /** A writer quiet for this long gives up the floor to writers waiting. */
    static final long QUIET_MS = 200;
    /** A writer keeps the floor at most this long while others wait. */
    static final long TURN_MS = 1000;
    private static final ScheduledExecutorService TURNS = Executors.newSingleThreadScheduledExecutor(
            body -> ServiceThreads.daemon(body, "jparallel-output-turns"));

    /** What a writer printed while another had the floor, both streams in order. */
    private record Held(String writer, long pid, List<Piece> pieces) {
    }

    /** Run before any printer writes; see {@link #beforeAnyWrite}. */
    private static volatile Runnable beforeAnyWrite = () -> { };

    /**
     * Held while a printer makes room and writes, and by whatever draws a line in place on the terminal
     * ({@link #terminal()}): else a line drawn between the room made and the output written is written over.
     */
    private static final Object TERMINAL = new Object();

    private final Supplier<?> section;
    private final String labelSuffix;
    private final Runnable beforeWrite;
    /** By label, in the order they started waiting. */
    private final Map<String, Held> waiting = new LinkedHashMap<>();
    /** The label of the writer that has the floor, or null. */
    private String floor;
    private long floorSince;
    private long lastSpoke;
    private ScheduledFuture<?> turnCheck;
    /** Bytes of each writer shown per section; 0: no limit. Read when a section starts. */
    private long limit;
    /** The limit as it was set, for the notice. */
    private String limitText;
    /** Why the property was not used, to be printed before the section's first output; or null. */
    private String limitProblem;
    private final Map<String, Budget> budgets = new HashMap<>();
    private Object budgetSection;
    private Object lastSection;
    private String lastLabel;
    private boolean lastError;
    private boolean atLineStart = true;

    /** A printer for output that all goes to one place (one run, one cell). */
    public WorkerOutputPrinter() {
        this(() -> null);
    }

    /**
     * A printer for output that may go to several places over time, such as the cells of a notebook.
     *
     * @param section where output goes now; when it changes, the next writer is labelled again and
     *     the limit starts afresh (read again from {@link #LIMIT_PROPERTY})
     */
    public WorkerOutputPrinter(Supplier<?> section) {
        this(section, "", () -> { });
    }

    private WorkerOutputPrinter(Supplier<?> section, String labelSuffix, Runnable beforeWrite) {
        this.section = section;
        this.labelSuffix = labelSuffix;
        this.beforeWrite = beforeWrite;
        readLimit();
    }

    /**
     * A printer for one run that calls {@code beforeWrite} before it writes anything, so that a progress
     * line drawn in place on the terminal ({@code \r}) can make room for the output.
     */
    public static WorkerOutputPrinter makingRoomWith(Runnable beforeWrite) {
        return new WorkerOutputPrinter(() -> null, "", beforeWrite);
    }

    /**
     * Makes every printer call {@code hook} before it writes anything (null: nothing): in a notebook whose front
     * end is a terminal, a progress line drawn in place ({@code \r}) by any run, a {@code WorkerPool} call's
     * included, must be erased before a worker's output is written, or the output would go on at its end.
     */
    public static void beforeAnyWrite(Runnable hook) {
        beforeAnyWrite = hook == null ? () -> { } : hook;
    }

    /**
     * The lock of this JVM's terminal lines: a progress line drawn in place ({@code \r}) is drawn holding it,
     * so that it never falls between the room a printer made for its output and that output. Take it before
     * any lock of your own: a printer takes it, then runs {@link #beforeAnyWrite}'s hook.
     */
    public static Object terminal() {
        return TERMINAL;
    }

    /** A printer of what workers write outside any task. */
    public static WorkerOutputPrinter outsideTasks() {
        return new WorkerOutputPrinter(() -> null, " · outside any task", () -> { });
    }

    /** A printer of what the pool's initializer prints. */
    public static WorkerOutputPrinter initializer() {
        return new WorkerOutputPrinter(() -> null, " · initializer", () -> { });
    }

    /**
     * Reads {@link #LIMIT_PROPERTY}. A value that is not a byte count does not stop anything (this runs on
     * the threads that carry output): the default is used, and a line at the top of the output says why.
     */
    private void readLimit() {
        String text = System.getProperty(LIMIT_PROPERTY, DEFAULT_LIMIT_TEXT).trim();
        try {
            limit = parseLimit(text);
            limitText = text;
            limitProblem = null;
        } catch (IllegalArgumentException e) {
            limit = parseLimit(DEFAULT_LIMIT_TEXT);
            limitText = DEFAULT_LIMIT_TEXT;
            limitProblem = e.getMessage() + ": " + DEFAULT_LIMIT_TEXT + " is used";
        }
    }

    /** The bytes a value of {@link #LIMIT_PROPERTY} stands for. */
    private static long parseLimit(String text) {
        String value = text.toLowerCase(Locale.ROOT);
        int shift = value.endsWith("k") ? 10 : value.endsWith("m") ? 20 : value.endsWith("g") ? 30 : 0;
        String digits = shift == 0 ? value : value.substring(0, value.length() - 1);
        try {
            long n = Long.parseLong(digits);
            // below a kilobyte, the end of a writer's output would not fit
            if (n == 0 || (n << shift >= 1024 && n <= Long.MAX_VALUE >> shift)) {
                return n << shift;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("system property " + LIMIT_PROPERTY + " is how many bytes of each"
                + " worker's output to show per run: at least 1k, such as 2m or 512k, or 0 for everything; not \"" + text + "\"");
    }

    /** Prints one piece of a pool worker's output ({@code worker} -1: a stand-alone process). */
    public void print(int worker, long pid, boolean error, String text) {
        print(writer(worker), pid, error, text);
    }

    /** Prints one piece of output of the process named {@code writer}. */
    public synchronized void print(String writer, long pid, boolean error, String text) {
        Object now = section.get();
        if (!Objects.equals(now, budgetSection)) {
            releaseFloor();
            budgets.values().forEach(this::showTail); // what the last section held back, before anything new
            budgets.clear();
            releaseFloor();
            budgetSection = now;
            readLimit();
        }
        if (limitProblem != null) {
            System.err.println(limitProblem);
            limitProblem = null;
            atLineStart = true;
            lastLabel = null; // the output that follows is labelled again
        }
        if (limit == 0) {
            emit(writer, pid, error, text);
            return;
        }
        Budget budget = budgets.computeIfAbsent(label(writer, pid), k -> new Budget(writer, pid));
        long headLimit = limit - limit / 4;
        if (!budget.holding) {
            long bytes = utf8Length(text);
            if (budget.shown + bytes <= headLimit) {
                emit(writer, pid, error, text);
                budget.shown += bytes;
                return;
            }
            String head = text.substring(0, cut(text, headLimit - budget.shown));
            emit(writer, pid, error, head);
            budget.shown += utf8Length(head);
            budget.holding = true;
            emitLine(writer, pid, error, "… output from " + writer + " (pid " + pid + ") is over " + LIMIT_PROPERTY
                    + "=" + limitText + ": what follows is held back, and its last lines shown at the end");
            text = text.substring(head.length());
        }
        hold(budget, error, text, limit / 8);
    }

    /** Shows what every writer's limit held back, and what waited for the floor: its run is over. */
    public synchronized void finish() {
        budgets.values().forEach(this::showTail);
        budgets.clear();
        releaseFloor();
    }

    /** Shows what the limit held back of a pool worker's output ({@code worker} -1: a stand-alone process). */
    public void finish(int worker, long pid) {
        finish(writer(worker), pid);
    }

    /** Shows what the limit held back of the output of the process named {@code writer}: it has ended. */
    public synchronized void finish(String writer, long pid) {
        Budget budget = budgets.remove(label(writer, pid));
        if (budget != null) {
            showTail(budget);
        }
        releaseFloor();
    }

    private static String writer(int worker) {
        return worker >= 0 ? "worker " + worker : "process";
    }

    private String label(String writer, long pid) {
        return "[" + writer + " · pid " + pid + labelSuffix + "]";
    }

    /**
     * Adds text to a writer's tail, dropping from the front of that stream's tail what is over
     * {@code streamLimit}: each stream keeps its own end.
     */
    private static void hold(Budget budget, boolean error, String text, long streamLimit) {
        if (text.isEmpty()) {
            return;
        }
        Piece piece = new Piece(error, text, utf8Length(text));
        int stream = piece.stream();
        budget.tail.add(piece);
        budget.tailBytes[stream] += piece.bytes;
        while (budget.tailBytes[stream] > streamLimit) {
            int at = firstOf(budget, stream);
            Piece first = budget.tail.get(at);
            long excess = budget.tailBytes[stream] - streamLimit;
            int cut = first.bytes <= excess ? first.text.length() : charsIn(first.text, excess);
            budget.cutMidLine[stream] = first.text.charAt(cut - 1) != '\n';
            dropFront(budget, at, cut);
        }
    }

    /** Where the first piece of {@code stream} is in the tail, or -1. */
    private static int firstOf(Budget budget, int stream) {
        for (int i = 0; i < budget.tail.size(); i++) {
            if (budget.tail.get(i).stream() == stream) {
                return i;
            }
        }
        return -1;
    }

    /** Drops the first {@code chars} chars of the tail's piece at {@code at}, counting them as not shown. */
    private static void dropFront(Budget budget, int at, int chars) {
        Piece piece = budget.tail.get(at);
        String rest = piece.text.substring(chars);
        long restBytes = utf8Length(rest);
        budget.hidden += piece.bytes - restBytes;
        budget.tailBytes[piece.stream()] -= piece.bytes - restBytes;
        if (rest.isEmpty()) {
            budget.tail.remove(at);
        } else {
            budget.tail.set(at, new Piece(piece.error, rest, restBytes));
        }
    }

    /** Prints a writer's tail, after a notice of what was left out, if anything was. */
    private void showTail(Budget budget) {
        for (int stream = 0; stream < 2; stream++) {
            if (budget.cutMidLine[stream]) {
                dropPartialLine(budget, stream);
            }
        }
        if (budget.hidden > 0) {
            boolean error = budget.tail.isEmpty() ? lastError : budget.tail.get(0).error;
            emitLine(budget.writer, budget.pid, error, "… " + megabytes(budget.hidden) + " ("
                    + String.format(Locale.ROOT, "%,d", budget.hidden) + " bytes) of output from " + budget.writer
                    + " (pid " + budget.pid + ") not shown");
        }
        for (Piece piece : budget.tail) {
            emit(budget.writer, budget.pid, piece.error, piece.text);
        }
        budget.tail.clear();
        Arrays.fill(budget.tailBytes, 0);
        Arrays.fill(budget.cutMidLine, false);
        budget.hidden = 0;
    }

    /** Drops a stream's tail up to its first line break, if it has one, so that what is shown starts a line. */
    private static void dropPartialLine(Budget budget, int stream) {
        if (budget.tail.stream().noneMatch(p -> p.stream() == stream && p.text.indexOf('\n') >= 0)) {
            return;
        }
        while (true) {
            int at = firstOf(budget, stream);
            int newline = budget.tail.get(at).text.indexOf('\n');
            dropFront(budget, at, newline < 0 ? budget.tail.get(at).text.length() : newline + 1);
            if (newline >= 0) {
                return;
            }
        }
    }

    /** Prints a line of its own: on a new line, and ending one. */
    private void emitLine(String writer, long pid, boolean error, String line) {
        if (!atLineStart && label(writer, pid).equals(lastLabel) && error == lastError
                && Objects.equals(section.get(), lastSection)) {
            emit(writer, pid, error, "\n");
        }
        emit(writer, pid, error, line + "\n");
    }

    /** Prints text now if its writer has the floor (or may take it), else holds it until the floor passes. */
    private void emit(String writer, long pid, boolean error, String text) {
        if (text.isEmpty()) {
            return;
        }
        String label = label(writer, pid);
        long now = System.nanoTime();
        if (!waiting.isEmpty() && now >= turnEnds()) {
            passFloor(now);
        }
        boolean mayTake = floor == null || (waiting.isEmpty() && now - lastSpoke >= TimeUnit.MILLISECONDS.toNanos(QUIET_MS));
        if (label.equals(floor) || mayTake) {
            if (!label.equals(floor)) {
                floor = label;
                floorSince = now;
            }
            lastSpoke = now;
            write(writer, pid, error, text);
            return;
        }
        waiting.computeIfAbsent(label, k -> new Held(writer, pid, new ArrayList<>()))
                .pieces().add(new Piece(error, text, 0));
        if (turnCheck == null) {
            turnCheck = TURNS.schedule(this::turnDue, Math.max(0, turnEnds() - now), TimeUnit.NANOSECONDS);
        }
    }

    /** When the floor passes to the writers waiting: the one that has it was quiet long enough, or had its turn. */
    private long turnEnds() {
        return Math.min(lastSpoke + TimeUnit.MILLISECONDS.toNanos(QUIET_MS), floorSince + TimeUnit.MILLISECONDS.toNanos(TURN_MS));
    }

    /** On the timer: passes the floor if the turn is over, else looks again when it will be. */
    private synchronized void turnDue() {
        turnCheck = null;
        if (waiting.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        if (now >= turnEnds()) {
            passFloor(now);
        } else {
            turnCheck = TURNS.schedule(this::turnDue, turnEnds() - now, TimeUnit.NANOSECONDS);
        }
    }

    /** Prints every waiting writer's text as a group, in the order they started waiting; the last one has the floor. */
    private void passFloor(long now) {
        for (Held held : waiting.values()) {
            for (Piece piece : held.pieces()) {
                write(held.writer(), held.pid(), piece.error, piece.text);
            }
            floor = label(held.writer(), held.pid());
        }
        waiting.clear();
        floorSince = now;
        lastSpoke = now;
    }

    /** Prints all that waits, and leaves the floor free: the run or section is over. */
    private void releaseFloor() {
        if (!waiting.isEmpty()) {
            passFloor(System.nanoTime());
        }
        if (turnCheck != null) {
            turnCheck.cancel(false);
            turnCheck = null;
        }
        floor = null;
    }

    /** Writes text, after the writer's label if another writer or stream printed last. */
    private void write(String writer, long pid, boolean error, String text) {
        synchronized (TERMINAL) {
            beforeAnyWrite.run();
            beforeWrite.run();
            writeLabelled(writer, pid, error, text);
        }
    }

    private void writeLabelled(String writer, long pid, boolean error, String text) {
        String label = label(writer, pid);
        Object now = section.get();
        boolean sameSection = Objects.equals(now, lastSection);
        PrintStream stream = error ? System.err : System.out;
        if (!label.equals(lastLabel) || error != lastError || !sameSection) {
            if (!atLineStart && sameSection) {
                (lastError ? System.err : System.out).println();
            }
            stream.println(label);
            lastSection = now;
            lastLabel = label;
            lastError = error;
        }
        stream.print(text);
        stream.flush();
        atLineStart = text.endsWith("\n");
    }

    /**
     * Where to cut {@code text} so that the part before is at most {@code bytes} long: after its last line
     * break that fits, or, when none does, as late as fits.
     */
    private static int cut(String text, long bytes) {
        long covered = 0;
        int i = 0;
        int afterLine = -1;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            if (covered + utf8Length(cp) > bytes) {
                break;
            }
            covered += utf8Length(cp);
            i += Character.charCount(cp);
            if (cp == '\n') {
                afterLine = i;
            }
        }
        return afterLine >= 0 ? afterLine : i;
    }

    /** How many chars from the start of {@code text} it takes to cover at least {@code bytes} bytes of UTF-8, whole code points. */
    private static int charsIn(String text, long bytes) {
        long covered = 0;
        int i = 0;
        while (i < text.length() && covered < bytes) {
            int cp = text.codePointAt(i);
            covered += utf8Length(cp);
            i += Character.charCount(cp);
        }
        return i;
    }

    private static long utf8Length(String text) {
        long n = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            n += utf8Length(cp);
            i += Character.charCount(cp);
        }
        return n;
    }

    private static int utf8Length(int codePoint) {
        return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
