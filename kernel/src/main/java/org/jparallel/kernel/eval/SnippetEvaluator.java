package org.jparallel.kernel.eval;

import org.jparallel.internal.code.ClasspathJar;
import org.jparallel.internal.code.SnippetLoader;
import org.jparallel.internal.code.CellStop;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.spi.ExecutionControl;

import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Evaluates notebook cells with JShell, in the kernel JVM.
 *
 * <p>A cell is split into snippets that are compiled and run in order; the first failure ends the
 * cell. Compile errors, exceptions and interrupts become {@link CompilationException},
 * {@link UserCodeException} and {@link CellInterruptedException}, with positions in cell terms.
 * Evaluation is meant for one thread at a time (the kernel's shell thread); {@link #interrupt()} may
 * be called from any thread.
 */
public final class SnippetEvaluator implements AutoCloseable {

    /** What a cell produced: its last expression's value, if the cell ended with an expression. */
    public record Outcome(boolean hasValue, Object value) {
        static final Outcome NONE = new Outcome(false, null);
    }

    /** A snippet class's name, {@code REPL.$JShell$14}, at the start of the names of its nested classes. */
    private static final Pattern SNIPPET_CLASS = Pattern.compile("REPL\\.\\$JShell\\$\\d+");

    private final JShell shell;
    private final SourceCodeAnalysis analysis;
    private final NotebookExecutionControl control;
    private final CellSplitter splitter;
    private final CompilerClassFiles classFiles;
    private final ClassIndexing classIndexing;
    private final Map<String, SnippetOrigin> origins = new ConcurrentHashMap<>();
    private final AtomicInteger depth = new AtomicInteger();
    /** True from {@link #startCell()} until the end of the cell's outermost evaluation. */
    private volatile boolean cellStarted;

    /** Where a snippet came from: the cell's label and the cell line its text starts on. */
    private record SnippetOrigin(String cell, int firstLine) {
    }

    /**
     * A snippet's class as JShell wrapped it, to place frames JShell did not translate: those of
     * exceptions caught by notebook code and of exceptions that come back from worker JVMs, whose
     * file is {@code $JShell$14.java} and whose lines are lines of the wrapped source.
     */
    private final Map<String, Wrapped> wrapped = new ConcurrentHashMap<>();

    private record Wrapped(String snippetId, String source, SourceCodeAnalysis.SnippetWrapper wrapper) {

        /** The line of the snippet's own text (from 1) that a line of the wrapped class holds, or -1. */
        int snippetLine(int wrappedLine) {
            String text = wrapper.wrapped();
            int start = 0;
            for (int line = 1; line < wrappedLine && start >= 0; line++) {
                start = text.indexOf('\n', start) + 1;
                start = start == 0 ? -1 : start;
            }
            if (start < 0) {
                return -1;
            }
            int end = text.indexOf('\n', start);
            for (int at = start; at < (end < 0 ? text.length() : end); at++) {
                int inSource = wrapper.wrappedToSourcePosition(at);
                if (inSource >= 0 && inSource <= source.length()) {
                    return (int) source.substring(0, inSource).chars().filter(c -> c == '\n').count() + 1;
                }
            }
            return -1;
        }
    }

    /**
     * Starts JShell with this kernel's execution engine.
     *
     * @param parent          the class loader snippet classes see as their parent
     * @param compilerOptions extra {@code javac} options
     */
    public SnippetEvaluator(ClassLoader parent, List<String> compilerOptions) {
        SnippetLoader loader = new SnippetLoader(parent);
        NotebookExecutionControlProvider provider = new NotebookExecutionControlProvider(loader);
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
        this.shell = JShell.builder()
                .executionEngine(provider, Map.of())
                .compilerOptions(compilerOptions.toArray(String[]::new))
                .in(InputStream.nullInputStream())
                .out(discard)
                .err(discard)
                .build();
        this.control = provider.control();
        this.analysis = shell.sourceCodeAnalysis();
        this.classIndexing = ClassIndexing.heldBack(analysis);
        this.splitter = new CellSplitter(analysis);
        this.classFiles = new CompilerClassFiles(shell, analysis);
    }

    /** JShell's source analysis, for completion, documentation and completeness checks. */
    public SourceCodeAnalysis analysis() {
        return analysis;
    }

    /** The loader holding every snippet class, with the bytes as compiled. */
    public SnippetLoader loader() {
        return control.loader();
    }

    /**
     * Lets JShell index the class path for completion, which it holds back from its creation (see
     * {@link ClassIndexing}): call when the kernel is idle, and before completing or documenting code.
     */
    public void releaseClassIndex() {
        classIndexing.release();
    }

    /** True while JShell's class-path indexing is held back; for tests. */
    boolean classIndexHeld() {
        return classIndexing.held();
    }

    /** The snippet classes JShell's compiler lists for every compilation; for tests. */
    Set<String> compilerSnippetClasses() {
        return classFiles.snippetClasses();
    }

    /** True when the compiler is shown only the classes of active declarations (see {@link CompilerClassFiles}). */
    boolean cutsCompilerClassFiles() {
        return classFiles.active();
    }

    /** Splits source into snippets without running anything. */
    public CellSource split(String source) {
        return splitter.split(source);
    }

    /**
     * Evaluates a cell.
     *
     * @param source   the cell's code
     * @param cell     a label for stack traces and errors, such as {@code cell[3]}
     * @param warnings receives notes that do not stop the cell (a method that needs a missing declaration)
     */
    public Outcome eval(String source, String cell, Consumer<String> warnings) {
        enter();
        CellSource split;
        Outcome outcome = Outcome.NONE;
        try {
            split = splitter.split(source);
            for (CellSource.Piece piece : split.pieces()) {
                if (CellStop.isRequested()) {
                    throw new CellInterruptedException();
                }
                outcome = evalPiece(split, piece, cell, warnings);
            }
        } finally {
            if (leave()) {
                control.clearResults();
                classFiles.forgetUnreferable();
            }
        }
        if (!split.incompleteRest().isBlank()) {
            throw new IncompleteCellException(split.incompleteRest());
        }
        return outcome;
    }

    /**
     * What compiling a cell without running it produced: the snippet classes whose {@code do_it$} methods
     * run the cell, in order, and whether the last one's value is the cell's value.
     */
    public record Compiled(List<String> snippetClasses, boolean lastHasValue) {
    }

    /**
     * Compiles a cell as {@link #eval} would, declaring what it declares, but runs none of its
     * statements: they are returned to be run elsewhere (on worker JVMs). Errors are reported as by
     * {@link #eval}.
     */
    public Compiled compile(String source, String cell, Consumer<String> warnings) {
        List<String> classes = new ArrayList<>();
        control.captureInvocations(classes);
        try {
            Outcome outcome = eval(source, cell, warnings);
            return new Compiled(List.copyOf(classes), outcome.hasValue());
        } finally {
            control.captureInvocations(null);
        }
    }

    private Outcome evalPiece(CellSource cell, CellSource.Piece piece, String label, Consumer<String> warnings) {
        List<SnippetEvent> events = shell.eval(piece.source());
        try {
            return outcome(cell, piece, label, warnings, events);
        } finally {
            dropTemporaryVariables(events);
        }
    }

    /**
     * Drops the variables JShell declares for expressions ({@code $14}), once their value is taken. JShell imports
     * every declared variable into every later snippet, and javac reads each imported class again for every
     * snippet it compiles: with them kept, {@code 1+1} took 9.3 ms of the evaluating thread's CPU after 50 cells and
     * 17.9 ms after 250, dropped 5.4 and 4.7 ms (JDK 17, the kernel's flags; a JFR profile put the difference in
     * javac's ImportsPhase reading class files). The kernel never shows these names, and their numbers depend on the
     * snippets its own start-up evaluates.
     */
    private void dropTemporaryVariables(List<SnippetEvent> events) {
        for (SnippetEvent event : events) {
            Snippet snippet = event.snippet();
            if (event.causeSnippet() == null && snippet.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND
                    && shell.status(snippet).isActive()) {
                shell.drop(snippet);
            }
        }
    }

    private Outcome outcome(CellSource cell, CellSource.Piece piece, String label, Consumer<String> warnings,
                            List<SnippetEvent> events) {
        if (control.takeStopped()) {
            throw new CellInterruptedException();
        }
        Outcome outcome = Outcome.NONE;
        for (SnippetEvent event : events) {
            Snippet snippet = event.snippet();
            if (event.causeSnippet() != null) {
                noteLostDependent(event, warnings);
                continue;
            }
            origins.put(snippet.id(), new SnippetOrigin(label, cell.lineOf(piece.offset())));
            if (event.status() == Snippet.Status.REJECTED) {
                shell.drop(snippet);
                throw compilationError(cell, piece, snippet);
            }
            SourceCodeAnalysis.SnippetWrapper wrapper = analysis.wrapper(snippet);
            wrapped.put(wrapper.fullClassName(), new Wrapped(snippet.id(), snippet.source(), wrapper));
            if (event.exception() != null) {
                Throwable thrown = control.takeThrown();
                if (thrown instanceof CompilationException nested) {
                    throw nested; // code a magic compiled for this cell did not compile: the cell's own error
                }
                if (thrown instanceof ElsewhereVariablesException elsewhere) {
                    shell.drop(snippet); // not run, so declares nothing
                    throw notHere(cell, piece, elsewhere.names());
                }
                throw userError(event.exception());
            }
            reportUnresolved(snippet, warnings);
            if (producesValue(snippet)) {
                outcome = new Outcome(true, control.takeResult(event.value()));
            }
        }
        return outcome;
    }

    private void noteLostDependent(SnippetEvent event, Consumer<String> warnings) {
        Snippet snippet = event.snippet();
        if (snippet instanceof DeclarationSnippet && event.previousStatus().isActive()
                && event.status() != Snippet.Status.OVERWRITTEN && !event.status().isDefined()) {
            warnings.accept("note: " + describe(snippet) + " no longer compiles against the new "
                    + describe(event.causeSnippet()) + " and was removed; declare it again");
        }
    }

    private static boolean producesValue(Snippet snippet) {
        Snippet.SubKind kind = snippet.subKind();
        return kind == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND || kind == Snippet.SubKind.VAR_VALUE_SUBKIND;
    }

    private void reportUnresolved(Snippet snippet, Consumer<String> warnings) {
        if (!(snippet instanceof DeclarationSnippet)) {
            return;
        }
        List<String> missing = shell.unresolvedDependencies((DeclarationSnippet) snippet).collect(Collectors.toList());
        if (!missing.isEmpty()) {
            warnings.accept("note: " + describe(snippet) + " can be used once these are declared: "
                    + String.join(", ", missing));
        }
    }

    private static String describe(Snippet snippet) {
        String kind;
        switch (snippet.kind()) {
            case VAR -> kind = "variable";
            case METHOD -> kind = "method";
            case TYPE_DECL -> kind = snippet.subKind().name().replace("_SUBKIND", "").toLowerCase(Locale.ROOT);
            default -> kind = "snippet";
        }
        return snippet instanceof DeclarationSnippet ? kind + " " + ((DeclarationSnippet) snippet).name() : kind;
    }

    private CompilationException compilationError(CellSource cell, CellSource.Piece piece, Snippet snippet) {
        List<CompilationException.Problem> problems = new ArrayList<>();
        shell.diagnostics(snippet).filter(Diag::isError).forEach(diag -> {
            int at = piece.offset() + (int) Math.max(0, diag.getStartPosition());
            int end = piece.offset() + (int) Math.max(diag.getStartPosition(), diag.getEndPosition());
            int line = cell.lineOf(at);
            problems.add(new CompilationException.Problem(line, cell.columnOf(at),
                    Math.max(1, Math.min(end, lineEnd(cell.text(), at)) - at),
                    diag.getMessage(Locale.ROOT), cell.line(line)));
        });
        if (problems.isEmpty()) {
            int line = cell.lineOf(piece.offset());
            problems.add(new CompilationException.Problem(line, cell.columnOf(piece.offset()), 1,
                    "this code was rejected by the compiler", cell.line(line)));
        }
        return new CompilationException(problems);
    }

    /**
     * The error for a snippet that reads variables declared by code compiled to run elsewhere: "cannot find
     * symbol", as if they were not declared, placed where the snippet names each one (or at its start when only a
     * method it calls reads it).
     */
    private static CompilationException notHere(CellSource cell, CellSource.Piece piece, List<String> names) {
        List<CompilationException.Problem> problems = new ArrayList<>();
        for (String name : names) {
            Matcher named = Pattern.compile("(?<![\\w$])" + Pattern.quote(name) + "(?![\\w$])").matcher(piece.source());
            boolean here = named.find();
            int at = piece.offset() + (here ? named.start() : 0);
            int line = cell.lineOf(at);
            problems.add(new CompilationException.Problem(line, cell.columnOf(at), here ? name.length() : 1,
                    "cannot find symbol: variable " + name + " is not in the notebook: it was declared in code compiled"
                            + " to run elsewhere (a %%parallel cell), and has a value only there"
                            + (here ? "" : " (read by a method this code calls)"), cell.line(line)));
        }
        return new CompilationException(problems);
    }

    private static int lineEnd(String text, int from) {
        int nl = text.indexOf('\n', from);
        return nl < 0 ? text.length() : nl;
    }

    /**
     * Runs {@code body} as the whole of a cell, as a snippet runs (on a cell thread that a stop
     * interrupts), and returns its value; what it throws is reported as a snippet's exception is. For a
     * cell that is one cell magic: calling the magic directly saves compiling a snippet that calls it.
     */
    public Outcome run(Callable<?> body) {
        boolean outermost = enter();
        try {
            if (outermost && CellStop.isRequested()) {
                throw new CellInterruptedException(); // asked for once the cell started, before it ran
            }
            return new Outcome(true, control.runInCell(body));
        } catch (ExecutionControl.StoppedException e) {
            control.takeStopped();
            throw new CellInterruptedException();
        } catch (CompilationException | CellInterruptedException e) {
            throw e;
        } catch (InvocationTargetException e) {
            throw userError(e.getCause());
        } catch (Exception e) {
            throw userError(e);
        } finally {
            if (leave()) {
                control.clearResults();
            }
        }
    }

    /**
     * Starts a cell ahead of its evaluation: a stop asked for from now on ({@link #interrupt()}) stops it, also one that
     * comes before its code runs. The kernel calls this before it tells the front end that it is busy with the cell,
     * from when the front end may interrupt it; without it, {@link #eval} and {@link #run} forget a stop asked for
     * before they start (while the kernel was idle), and so did they one asked for while the cell was being received
     * (test_sync.py's interrupt, sent on the busy status, was lost once in a run on a loaded machine).
     */
    public void startCell() {
        CellStop.clear();
        cellStarted = true;
    }

    /** Enters an evaluation; the outermost one (true) forgets a stop asked for before its cell started. */
    private boolean enter() {
        boolean outermost = depth.getAndIncrement() == 0;
        if (outermost && !cellStarted) {
            CellStop.clear();
        }
        return outermost;
    }

    /** Leaves an evaluation; true when it was the outermost one, which ends the cell. */
    private boolean leave() {
        if (depth.decrementAndGet() == 0) {
            cellStarted = false;
            return true;
        }
        return false;
    }

    /** A throwable of code run outside JShell, reported as {@link #userError(JShellException)} reports. */
    private UserCodeException userError(Throwable e) {
        UserCodeException cause = e.getCause() == null || e.getCause() == e ? null : userError(e.getCause());
        return new UserCodeException(e.getClass().getName(), e.getMessage(), shownFrames(e.getStackTrace()), cause);
    }

    private List<String> shownFrames(StackTraceElement[] stack) {
        List<String> frames = new ArrayList<>();
        for (StackTraceElement frame : CellFrames.shown(stack, f -> placeSnippetFrame(f) != null)) {
            frames.add(placeFrame(frame));
        }
        return frames;
    }

    private UserCodeException userError(JShellException e) {
        UserCodeException cause = e.getCause() instanceof JShellException
                ? userError((JShellException) e.getCause()) : null;
        String className;
        String message;
        if (e instanceof EvalException) {
            className = ((EvalException) e).getExceptionClassName();
            message = e.getMessage();
        } else if (e instanceof UnresolvedReferenceException) {
            DeclarationSnippet snippet = ((UnresolvedReferenceException) e).getSnippet();
            className = "UnresolvedReference";
            message = describe(snippet) + " cannot run until these are declared: "
                    + shell.unresolvedDependencies(snippet).collect(Collectors.joining(", "));
        } else {
            className = e.getClass().getName();
            message = e.getMessage();
        }
        return new UserCodeException(className, message, shownFrames(e.getStackTrace()), cause);
    }

    private String placeFrame(StackTraceElement frame) {
        String placed = placeSnippetFrame(frame);
        return placed != null ? placed : frame.toString();
    }

    /**
     * A frame of notebook code in cell terms, such as {@code square (cell[4] line 2)}, or null if the
     * frame is not in a snippet. Takes frames as JShell translates them ({@code #14}) and as the JVM
     * writes them ({@code $JShell$14.java}), also those that come back from worker JVMs.
     */
    public String placeSnippetFrame(StackTraceElement frame) {
        String file = frame.getFileName();
        if (file != null && file.startsWith("#")) {
            SnippetOrigin origin = origins.get(file.substring(1));
            return origin == null ? null : place(origin, frame.getLineNumber(), methodLabel(frame));
        }
        Matcher outer = SNIPPET_CLASS.matcher(frame.getClassName());
        Wrapped wrap = outer.lookingAt() ? wrapped.get(outer.group()) : null;
        SnippetOrigin origin = wrap == null ? null : origins.get(wrap.snippetId());
        int line = origin == null ? -1 : wrap.snippetLine(frame.getLineNumber());
        if (line < 0) {
            return null;
        }
        String nested = frame.getClassName().substring(outer.end());
        String method = frame.getMethodName().equals("do_it$") ? "" // the snippet's own statements
                : frame.getMethodName().startsWith("lambda$") ? "lambda" : frame.getMethodName();
        return place(origin, line, nested.isEmpty() || method.isEmpty() ? method : nested.substring(1) + "." + method);
    }

    private static String place(SnippetOrigin origin, int snippetLine, String method) {
        String where = origin.cell() + " line " + (origin.firstLine() + snippetLine - 1);
        return (method.isEmpty() ? "" : method + " ") + "(" + where + ")";
    }

    private static String methodLabel(StackTraceElement frame) {
        if (frame.getMethodName().isEmpty()) {
            return "";
        }
        String owner = frame.getClassName();
        return owner.isEmpty() ? frame.getMethodName() : owner + "." + frame.getMethodName();
    }

    /** Stops the running cell, and the threads it started, as soon as they reach a check or block. */
    public void interrupt() {
        control.stop();
    }

    /**
     * Adds jars or directories ({@link java.io.File#pathSeparator} between them) to the compiler's and the
     * runtime's classpath. Each is put in this host's jar cache first (by content; a directory packed), and
     * both compile and run from the cached copy, the bytes workers are sent: a jar deleted or changed
     * afterwards changes nothing here or there. Returns the entries as cached.
     */
    public List<ClasspathJar> addToClasspath(String path) {
        List<ClasspathJar> jars = loader().add(path);
        shell.addToClasspath(jars.stream().map(j -> j.file().toString()).collect(Collectors.joining(File.pathSeparator)));
        return jars;
    }

    @Override
    public void close() {
        shell.close();
    }
}
