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

    static final String USAGE = "%%parallel [-n N] [--targets 0,2] [--out NAME] [--timeout SEC] [--no-progress]\n"
            + "       %%parallel --map x:xs [--out NAME] [--chunksize K] [--unordered] [--fail-fast] [--timeout SEC] [--no-progress]";
    static final Set<String> WITH_VALUE = Set.of("-n", "--targets", "--out", "--timeout", "--map", "--chunksize");
    static final Set<String> FLAGS = Set.of("--no-progress", "--unordered", "--fail-fast");
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
        RealWorkerPool pool = poolWithAtLeast(n);
        if (n > 0 && targets.isEmpty()) {
            for (int i = 0; i < n; i++) {
                targets.add(i);
            }
        }
        SnippetEvaluator.Compiled compiled = kernel.compileCell(body);
        SnippetCode code = Notebooks.codeSource();
        code.declaredOnWorkers(compiled.snippetClasses());
        if (compiled.snippetClasses().isEmpty()) {
            return null; // only declarations: they are already everywhere
        }
        Gatherer values = new Gatherer(new WorkerOutputPrinter());
        ProgressDisplay progress = new ProgressDisplay(values, "%%parallel", !args.flag("--no-progress"));
        Run run;
        try {
            run = pool.submitSnippets(compiled.snippetClasses(), compiled.lastHasValue(), targets, progress);
        } catch (IllegalArgumentException e) {
            progress.abandon("not started");
            throw args.error(e.getMessage());
        } catch (RuntimeException e) {
            progress.abandon("not started");
            throw e;
        }
        await(pool, run, args, progress);
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

    /** The notebook's pool, grown to at least {@code n} workers. */
    static RealWorkerPool poolWithAtLeast(int n) {
        RealWorkerPool pool = NotebookPool.get();
        if (n > pool.size()) {
            pool.resize(n);
        }
        return pool;
    }

    /** Waits for the run; on interrupt or timeout, shows what finished and rethrows. */
    static void await(RealWorkerPool pool, Run run, MagicArgs args, ProgressDisplay progress) {
        try {
            pool.await(run, args.seconds("--timeout"));
        } catch (CancellationException e) {
            progress.close(e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            progress.abandon("stopped: " + e.getClass().getSimpleName());
            throw e;
        }
        progress.close("done");
    }
}
