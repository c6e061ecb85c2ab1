package org.jparallel.internal.magic;

import org.dflib.jjava.jupyter.kernel.magic.CellMagic;
import org.dflib.jjava.jupyter.kernel.magic.LineMagic;
import org.jparallel.api.TaskFailure;
import org.jparallel.api.WorkerException;
import org.jparallel.internal.code.SnippetCode;
import org.jparallel.internal.launch.WorkerOutputPrinter;
import org.jparallel.internal.notebook.Notebooks;
import org.jparallel.internal.pool.Gatherer;
import org.jparallel.internal.pool.RealWorkerPool;
import org.jparallel.internal.pool.Run;
import org.jparallel.kernel.JavaKernel;
import org.jparallel.kernel.eval.SnippetEvaluator;
import org.jparallel.kernel.magic.MagicCalls;

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

    static final String USAGE = "%%parallel [-n N] [--targets 0,2] [--out NAME] [--timeout SEC] [--progress html|text|none]\n"
            + "       %%parallel --map x:xs [--out NAME] [--chunksize K] [--unordered] [--fail-fast] [--timeout SEC]"
            + " [--progress html|text|none]";
    static final Set<String> WITH_VALUE = Set.of("-n", "--targets", "--out", "--timeout", "--map", "--chunksize",
            "--progress");
    static final Set<String> FLAGS = Set.of("--no-progress", "--unordered", "--fail-fast");
    private static final AtomicInteger MAP_IDS = new AtomicInteger();

    private ParallelMagic() {
    }

    static CellMagic<Object, JavaKernel> cell() {
        return (kernel, args, body) -> run(kernel, MagicArgs.parse(args, WITH_VALUE, Set.of(), FLAGS, USAGE), body);
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
        Gatherer values = new Gatherer(WorkerOutputPrinter.makingRoomWith(display::makeRoom));
        RunProgressSource progress = new RunProgressSource(values, "%%parallel", -1);
        RealWorkerPool pool = poolWithAtLeast(n, display, progress);
        if (n > 0 && targets.isEmpty()) {
            for (int i = 0; i < n; i++) {
                targets.add(i);
            }
        }
        Run run;
        try {
            run = pool.submitSnippets(compiled.snippetClasses(), compiled.lastHasValue(), targets, progress);
        } catch (IllegalArgumentException e) {
            display.close(ProgressView.State.CANCELLED);
            throw args.error(e.getMessage());
        } catch (RuntimeException e) {
            display.close(ProgressView.State.FAILED);
            throw e;
        }
        await(pool, run, args, display);
        List<TaskFailure> failures = values.failures();
        if (!failures.isEmpty()) {
            throw new WorkerException(failures);
        }
        List<Object> results = values.resultsInElementOrder();
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

    /** Waits for the run; on interrupt or timeout, shows what finished and rethrows. */
    static void await(RealWorkerPool pool, Run run, MagicArgs args, ProgressDisplay display) {
        try {
            pool.await(run, args.seconds("--timeout"));
        } catch (CancellationException e) {
            // RunWaiter keeps the interrupt flag of an interrupted wait; a timeout leaves it clear
            display.close(Thread.currentThread().isInterrupted() ? ProgressView.State.INTERRUPTED
                    : ProgressView.State.TIMED_OUT);
            throw e;
        } catch (RuntimeException e) {
            display.close(ProgressView.State.FAILED);
            throw e;
        }
        display.close(ProgressView.State.DONE);
    }
}
