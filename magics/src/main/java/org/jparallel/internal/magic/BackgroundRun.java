package org.jparallel.internal.magic;

import org.jparallel.api.PoolRun;
import org.jparallel.kernel.JavaKernel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * {@code %%parallel ... --out r --background}: the cell returns once the run is submitted, with {@code r} bound
 * to its {@link PoolRun}, and the run's display goes on by itself: an HTML display keeps being redrawn on its
 * clock after the cell's reply, while other cells run, and shows the final state when the run ends; a text front
 * end, which cannot update anything after the cell, gets one line saying where the run is. Keeps the runs that
 * are still going, so that a stopped pool (and so a kernel shutdown) cancels them first, and their titles, for
 * showing a run handle. Thread-safe.
 */
final class BackgroundRun {

    /** Runs still going, in the order they started. */
    private static final List<PoolRun<?>> GOING = new ArrayList<>();
    /** What each run of a magic is called in its display, for {@link RunRendering}. */
    private static final Map<PoolRun<?>, String> TITLES = Collections.synchronizedMap(new WeakHashMap<>());

    private BackgroundRun() {
    }

    /**
     * Fails, before anything runs, if {@code out} holds a run that is still going: rebinding it would leave that
     * run going with no way to reach it.
     */
    static void checkFree(JavaKernel kernel, MagicArgs args, String out) {
        Object held;
        try {
            held = kernel.evalCell(out).value();
        } catch (RuntimeException e) {
            return; // no such variable (or one that cannot be read): nothing is lost by binding it
        }
        if (held instanceof PoolRun<?> run && !run.isDone()) {
            throw args.error(out + " holds a background run still going (" + run.progress().done() + "/"
                    + (run.progress().totalKnown() ? Long.toString(run.progress().total()) : "?")
                    + " done): wait for it (" + out + ".get()), stop it (" + out + ".cancel()), or give --out another name");
        }
    }

    /** The title of a run in the background bound to {@code out}. */
    static String title(String what, String out) {
        return what + " → " + out + " (background)";
    }

    /**
     * Leaves {@code run} going with its display: redrawn until the run ends, then showing how it ended; in a
     * text front end the progress line gives way to a line saying how to reach the run as {@code out}.
     */
    static void leave(PoolRun<?> run, String title, ProgressDisplay display, String out) {
        synchronized (GOING) {
            GOING.add(run);
        }
        TITLES.put(run, title);
        display.inBackground(out + " runs in the background: " + out + " shows how far it is, " + out
                + ".get() waits for its results, " + out + ".cancel() stops it");
        display.closeWhenDone(run);
        run.toCompletableFuture().whenComplete((results, failure) -> {
            synchronized (GOING) {
                GOING.remove(run);
            }
        });
    }

    /** What a run of a magic is called in its display; null for a run the magic did not start. */
    static String titleOf(PoolRun<?> run) {
        return TITLES.get(run);
    }

    /**
     * Cancels every background run still going and returns once they have stopped (each within the pool's stop
     * grace, its workers killed past it): the pool is about to stop, and its runs end cancelled, not failed.
     */
    static void cancelAll() {
        List<PoolRun<?>> going;
        synchronized (GOING) {
            going = new ArrayList<>(GOING);
        }
        going.forEach(PoolRun::cancel);
    }
}
