package org.jparallel.internal.magic;

import org.dflib.jjava.jupyter.kernel.magic.CellMagic;
import org.dflib.jjava.jupyter.kernel.magic.LineMagic;
import org.jparallel.api.PoolRun;
import org.jparallel.api.RunOptions;
import org.jparallel.api.TaskFailure;
import org.jparallel.api.WorkerException;
import org.jparallel.internal.code.SnippetCode;
import org.jparallel.internal.launch.WorkerOutputPrinter;
import org.jparallel.internal.notebook.Notebooks;
import org.jparallel.internal.pool.RealWorkerPool;
import org.jparallel.kernel.JavaKernel;
import org.jparallel.kernel.eval.SnippetEvaluator;
import org.jparallel.kernel.magic.MagicCalls;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code %%parallel} and {@code %parallel}: parse the arguments, compile the body in the notebook, run
 * it on the pool's workers, show progress, and hand back the values. The pool does the work.
 */
final class ParallelMagic {

    static final String USAGE = "%%parallel [-n N] [--targets 0,2] [--out NAME [--background]] [--timeout SEC]"
            + " [--progress html|text|none]\n"
            + "       %%parallel --map x:xs [--out NAME [--background]] [--chunksize K] [--unordered] [--fail-fast]"
            + " [--timeout SEC] [--progress html|text|none]";
    static final Set<String> WITH_VALUE = Set.of("-n", "--targets", "--out", "--timeout", "--map", "--chunksize",
            "--progress");
    static final Set<String> FLAGS = Set.of("--no-progress", "--unordered", "--fail-fast", "--background");
    private static final AtomicInteger MAP_IDS = new AtomicInteger();

    private ParallelMagic() {
    }

    static CellMagic<Object, JavaKernel> cell() {
        return (kernel, words, body) -> {
            MagicArgs args = MagicArgs.parse(words, WITH_VALUE, Set.of(), FLAGS, USAGE);
            return args.helpAsked() ? args.usage() : run(kernel, args, body);
        };
    }

    static LineMagic<Object, JavaKernel> line() {
        return (kernel, args) -> {
            if (args.isEmpty()) {
                throw new org.jparallel.kernel.magic.MagicException("usage: %parallel STATEMENT (runs one line on every worker)");
            }
            return run(kernel, MagicArgs.parse(List.of(), WITH_VALUE, Set.of(), FLAGS, USAGE), MagicCalls.lineSource());
        };
    }

    private static Object run(JavaKernel kernel, MagicArgs args, String body) {
        if (!args.positional().isEmpty()) {
            throw args.error("unexpected argument " + args.positional().get(0) + " (the code goes on the lines below)");
        }
        if (body.isBlank()) {
            throw args.error("the cell has no code to run");
        }
        String out = args.variableName("--out");
        args.seconds("--timeout"); // read again when the run is awaited; a bad one must stop the cell before it runs
        if (args.flag("--background")) {
            if (out == null) {
                throw args.error("--background needs --out NAME, the variable that holds the run: NAME.get() waits for"
                        + " its results, NAME.cancel() stops it");
            }
            if (args.flag("--unordered")) {
                throw args.error("--unordered does not apply with --background: " + out + " holds the run, whose"
                        + " resultsByArrival() lists the results in the order they came");
            }
            BackgroundRun.checkFree(kernel, args, out);
        }
        return args.value("--map") != null ? MapRun.run(kernel, args, body) : runEverywhere(kernel, args, body, out);
    }

    private static Object runEverywhere(JavaKernel kernel, MagicArgs args, String body, String out) {
        for (String mapOnly : List.of("--chunksize", "--unordered", "--fail-fast")) {
            if (args.value(mapOnly) != null || args.flag(mapOnly)) {
                throw args.error(mapOnly + " only applies with --map");
            }
        }
        int n = args.positiveInt("-n", 0);
        List<Integer> targets = targets(args);
        ProgressDisplay display = display(kernel, args);
        SnippetEvaluator.Compiled compiled = kernel.compileCell(body);
        SnippetCode code = Notebooks.codeSource();
        code.declaredOnWorkers(compiled.snippetClasses());
        if (compiled.snippetClasses().isEmpty()) {
            return null; // only declarations: they are already everywhere
        }
        boolean background = args.flag("--background");
        String title = background ? BackgroundRun.title("%%parallel", out) : "%%parallel";
        RunSource progress = new RunSource(title, -1);
        RealWorkerPool pool = poolWithAtLeast(n, display, progress);
        if (n > 0 && targets.isEmpty()) {
            for (int i = 0; i < n; i++) {
                targets.add(i);
            }
        }
        PoolRun<Object> run;
        try {
            run = pool.submitSnippets(compiled.snippetClasses(), compiled.lastHasValue(), targets, options(args),
                    WorkerOutputPrinter.makingRoomWith(display::makeRoom));
        } catch (IllegalArgumentException e) {
            display.close(ProgressView.State.CANCELLED);
            throw args.error(e.getMessage());
        } catch (RuntimeException e) {
            display.close(ProgressView.State.FAILED);
            throw e;
        }
        progress.follow(run);
        if (background) {
            NotebookVariables.assign(kernel, out, PoolRun.class.getName() + "<Object>", run);
            BackgroundRun.leave(run, title, display, out);
            return null;
        }
        await(run, display);
        List<TaskFailure> failures = run.failures();
        if (!failures.isEmpty()) {
            throw new WorkerException(failures);
        }
        List<Object> results = run.results();
        if (out != null) {
            NotebookVariables.assign(kernel, out, "java.util.List<Object>", results);
        }
        return compiled.lastHasValue() ? results : null;
    }

    /** The worker indexes of {@code --targets}: each a whole number of at least 0, each once. */
    static List<Integer> targets(MagicArgs args) {
        List<Integer> targets = new ArrayList<>();
        String spec = args.value("--targets");
        if (spec == null) {
            return targets;
        }
        for (String part : spec.split(",", -1)) {
            int index;
            try {
                index = Integer.parseInt(part.strip());
            } catch (NumberFormatException e) {
                throw args.error("--targets needs worker indexes such as 0,2, not " + spec);
            }
            if (index < 0) {
                throw args.error("--targets: worker indexes start at 0, not " + index);
            }
            if (targets.contains(index)) {
                throw args.error("--targets names worker " + index + " twice");
            }
            targets.add(index);
        }
        return targets;
    }

    /** The progress display that {@code --progress} (or {@code --no-progress}) asks for, not shown yet. */
    static ProgressDisplay display(JavaKernel kernel, MagicArgs args) {
        String option = args.flag("--no-progress") ? "none" : args.value("--progress");
        try {
            return new ProgressDisplay(ProgressDisplay.Form.choose(option, kernel.frontEnd()));
        } catch (IllegalArgumentException e) {
            throw args.error(e.getMessage());
        }
    }

    /**
     * The notebook's pool, grown to at least {@code n} workers, with the display shown at once: while the
     * workers start, it says so.
     */
    static RealWorkerPool poolWithAtLeast(int n, ProgressDisplay display, ProgressDisplay.Source progress) {
        RealWorkerPool current = NotebookPool.current();
        int starting = current == null ? Math.max(n, Runtime.getRuntime().availableProcessors())
                : Math.max(0, n - current.size());
        display.open(progress, starting == 0 ? null
                : "starting " + starting + (current == null ? "" : " more") + (starting == 1 ? " worker…" : " workers…"));
        try {
            RealWorkerPool pool = NotebookPool.get();
            if (n > pool.size()) {
                pool.resize(n);
            }
            display.running();
            return pool;
        } catch (RuntimeException e) {
            display.close(ProgressView.State.FAILED);
            throw e;
        }
    }

    /** The run's options that apply to every parallel cell: {@code --timeout}. */
    static RunOptions options(MagicArgs args) {
        long timeoutMillis = args.seconds("--timeout");
        return RunOptions.defaults().timeout(timeoutMillis > 0 ? Duration.ofMillis(timeoutMillis) : null);
    }

    /**
     * Waits for the run and shows its final state. On interrupt it stops the run and throws
     * {@link CancellationException}; a run stopped early (a timeout, an input that threw) throws why. Failed
     * elements are left to the caller ({@link PoolRun#failures()}).
     */
    static void await(PoolRun<?> run, ProgressDisplay display) {
        try {
            run.waitFor();
        } catch (InterruptedException e) {
            run.cancel();
            Thread.currentThread().interrupt();
            CancellationException interrupted = new CancellationException("interrupted: " + run.progress().done()
                    + " element(s) had finished");
            display.close(ProgressView.State.INTERRUPTED);
            throw interrupted;
        }
        try {
            run.get();
        } catch (WorkerException failed) {
            // failures are data: the caller reports them with what it keeps
        } catch (InterruptedException e) {
            throw new IllegalStateException("the run had finished", e); // get() does not wait for a finished run
        } catch (RuntimeException e) {
            display.close(ProgressDisplay.outcome(e));
            throw e;
        }
        display.close(ProgressView.State.DONE);
    }
}
