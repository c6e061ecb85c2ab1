package org.jparallel.internal.magic;

import jdk.jshell.Snippet;
import org.jparallel.api.PoolRun;
import org.jparallel.api.TaskFailure;
import org.jparallel.api.WorkerException;
import org.jparallel.internal.launch.WorkerOutputPrinter;
import org.jparallel.internal.pool.RealWorkerPool;
import org.jparallel.kernel.JavaKernel;
import org.jparallel.kernel.eval.CellSource;
import org.jparallel.kernel.eval.CompilationException;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * {@code %%parallel --map x:xs}: the body becomes a serializable function of {@code x}, compiled once
 * in the notebook ({@code MapBody.of(xs, (x) -> { body })}, so {@code x} gets {@code xs}'s element
 * type); workers call it once per element. Compile errors are placed on the body's own lines.
 *
 * <p>The input is read on a thread of its own while the cell waits, so {@code --timeout} counts from
 * the start and bounds the reading too. A collection or an array is encoded whole before anything runs;
 * a stream is read as the workers take it, with bounded memory, so an endless one runs until the
 * timeout or an interrupt. {@code --out NAME} is set even when elements failed: one entry per element,
 * in input order (completion order with {@code --unordered}), null where an element failed or (with
 * {@code --fail-fast}) did not run; the error says so. After a timeout, an interrupt or an input that
 * threw, nothing is stored. With {@code --background} the cell returns once the run is submitted and
 * {@code --out NAME} holds the run, typed by the body's value ({@code PoolRun<Integer>}); see {@link BackgroundRun}.
 */
final class MapRun {

    private static final String RETURN = "return ";
    /** A last statement that is a {@code return}. */
    private static final Pattern RETURNS = Pattern.compile("\\s*return\\b");
    private static final AtomicInteger IDS = new AtomicInteger();

    private MapRun() {
    }

    static Object run(JavaKernel kernel, MagicArgs args, String body) {
        MapSpec spec = MapSpec.of(args);
        for (String notWithMap : List.of("-n", "--targets")) {
            if (args.value(notWithMap) != null) {
                throw args.error(notWithMap + " does not apply with --map (elements go to whichever worker is free)");
            }
        }
        String x = spec.element();
        String xs = spec.variable();
        int chunkSize = args.positiveInt("--chunksize", 0);
        Object source = checkMappable(kernel, args, xs);

        MapBody<?, ?> mapBody = compile(kernel, x, xs, body);
        ProgressDisplay display = ParallelMagic.display(kernel, args);
        String out = args.value("--out");
        boolean background = args.flag("--background");
        String title = background ? BackgroundRun.title("%%parallel --map " + x + ":" + xs, out)
                : "%%parallel --map " + x + ":" + xs;
        RunSource progress = new RunSource(title, length(source));
        RealWorkerPool pool = ParallelMagic.poolWithAtLeast(0, display, progress);
        boolean unordered = args.flag("--unordered");
        PoolRun<Object> run;
        try {
            // the input is read on a thread of the run's own, so --timeout bounds the reading too and an
            // endless stream is read only as the workers take it
            run = pool.submit(mapBody.function(), mapBody.input(), length(source),
                    ParallelMagic.options(args).chunkSize(chunkSize).failFast(args.flag("--fail-fast")),
                    WorkerOutputPrinter.makingRoomWith(display::makeRoom));
        } catch (RuntimeException e) {
            display.close(ProgressView.State.FAILED);
            throw e;
        }
        progress.follow(run);
        if (background) {
            mapBody.started(run);
            kernel.evalCell("var " + out + " = " + mapBody.name() + ".run();");
            BackgroundRun.leave(run, title, display, out);
            return null;
        }
        ParallelMagic.await(run, display);

        List<Object> results = unordered ? run.resultsByArrival() : run.results();
        long elements = results.size();
        mapBody.complete(results);
        if (out != null) {
            kernel.evalCell("var " + out + " = " + mapBody.name() + ".results();");
        }
        List<TaskFailure> failures = run.failures();
        if (!failures.isEmpty()) {
            throw new WorkerException(failures, out == null ? null : out + " was set all the same: " + elements
                    + " entries, " + (unordered ? "in completion order" : "one per element in input order")
                    + ", null where an element failed" + (args.flag("--fail-fast") ? " or did not run" : ""));
        }
        return mapBody.results();
    }

    /** How many elements a mappable value has, or -1 if that is not known before reading it (a stream). */
    private static long length(Object source) {
        if (source instanceof Collection<?> collection) {
            return collection.size();
        }
        return source.getClass().isArray() ? Array.getLength(source) : -1;
    }

    private static Object checkMappable(JavaKernel kernel, MagicArgs args, String xs) {
        Object value;
        try {
            value = kernel.evalCell(xs).value();
        } catch (CompilationException e) {
            throw args.error("--map: there is no notebook variable " + xs);
        }
        if (!MapBody.mappable(value)) {
            throw args.error("--map: " + xs + " is " + (value == null ? "null" : "a " + value.getClass().getName())
                    + ", which cannot be mapped over; use an Iterable, an array, a Stream or an IntStream");
        }
        return value;
    }

    /** Compiles the body as a function, returning the value of its last expression if it ends with one. */
    static MapBody<?, ?> compile(JavaKernel kernel, String x, String xs, String body) {
        String name = "$map" + IDS.incrementAndGet();
        CellSource split = kernel.evaluator().split(body);
        List<CellSource.Piece> pieces = split.pieces();
        CellSource.Piece last = pieces.isEmpty() ? null : pieces.get(pieces.size() - 1);
        List<Snippet> lastSnippets = last == null ? List.of() : kernel.evaluator().analysis().sourceToSnippets(last.source());
        // JShell cannot tell an expression from a statement that uses a name it does not know, such as the
        // element: "if (x == 2) { ... }" is as ERRONEOUS as "x". Then the body is tried with and without a value.
        boolean unsure = lastSnippets.stream().anyMatch(snippet -> snippet.kind() == Snippet.Kind.ERRONEOUS);
        String header = "var " + name + " = " + MapBody.class.getName() + ".of(" + xs + ", (" + x + ") -> {\n";
        // the last statement may end without its semicolon, as a cell's may (System.out.println(x)), and with a
        // comment: the semicolon goes between the two
        String before = last == null ? body : body.substring(0, last.offset());
        String lastCode = last == null ? "" : body.substring(last.offset());
        String comment = lastCode.substring(TrailingComments.codeEnd(lastCode));
        lastCode = stripSemicolon(lastCode.substring(0, lastCode.length() - comment.length()));
        if (RETURNS.matcher(lastCode).lookingAt()) {
            // the body returns its value itself, as a lambda's would: it is the lambda's body as it stands
            try {
                kernel.evalCell(header + before + lastCode + ";" + comment + "\n});");
            } catch (CompilationException e) {
                throw placed(e, split, -1);
            }
            return mapBodyNamed(kernel, name);
        }
        CompilationException asValue = null;
        if (last != null && mayHaveValue(lastSnippets)) {
            try {
                kernel.evalCell(header + before + RETURN + lastCode + ";" + comment + "\n});");
                return mapBodyNamed(kernel, name);
            } catch (CompilationException e) {
                if (!returnedVoid(e)) {
                    if (!unsure) {
                        throw placed(e, split, last.offset());
                    }
                    asValue = e;
                }
            }
        }
        String statements = last == null ? body : before + lastCode + ";" + comment;
        try {
            kernel.evalCell(header + statements + "\nreturn null;\n});");
        } catch (CompilationException e) {
            throw asValue != null ? placed(asValue, split, last.offset()) : placed(e, split, -1);
        }
        return mapBodyNamed(kernel, name);
    }

    private static MapBody<?, ?> mapBodyNamed(JavaKernel kernel, String name) {
        MapBody<?, ?> mapBody = (MapBody<?, ?>) kernel.evalCell(name).value();
        mapBody.name(name);
        return mapBody;
    }

    private static boolean mayHaveValue(List<Snippet> snippets) {
        for (Snippet s : snippets) {
            if (s.kind() == Snippet.Kind.STATEMENT || s.kind() == Snippet.Kind.METHOD || s.kind() == Snippet.Kind.TYPE_DECL
                    || s.kind() == Snippet.Kind.IMPORT
                    || s.subKind().name().startsWith("VAR_DECLARATION")) {
                return false;
            }
        }
        return true;
    }

    private static String stripSemicolon(String expression) {
        String trimmed = expression.stripTrailing();
        return trimmed.endsWith(";") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }

    private static boolean returnedVoid(CompilationException e) {
        return e.problems().stream().anyMatch(p -> p.message().contains("void")
                || p.message().contains("unexpected return value"));
    }

    /** The problems of the generated code, moved to the body's lines and columns. */
    private static CompilationException placed(CompilationException e, CellSource body, int returnAt) {
        int returnLine = returnAt >= 0 ? body.lineOf(returnAt) : -1;
        int returnColumn = returnAt >= 0 ? body.columnOf(returnAt) : -1;
        List<CompilationException.Problem> problems = new ArrayList<>();
        for (CompilationException.Problem p : e.problems()) {
            int line = Math.max(1, p.line() - 1);
            int column = p.column();
            if (line == returnLine && column >= returnColumn + RETURN.length()) {
                column -= RETURN.length();
            }
            String source = line <= body.text().split("\n", -1).length ? body.line(line) : p.sourceLine();
            problems.add(new CompilationException.Problem(line, column, p.length(), p.message(), source));
        }
        return new CompilationException(problems);
    }
}
