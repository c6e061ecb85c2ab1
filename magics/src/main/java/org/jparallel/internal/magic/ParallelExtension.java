package org.jparallel.internal.magic;

import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.jparallel.internal.launch.WorkerOutputPrinter;
import org.jparallel.internal.notebook.Notebooks;
import org.jparallel.internal.pool.RunObserver;
import org.jparallel.internal.process.RealWorkerProcess;
import org.jparallel.internal.shm.SharedMemory;
import org.jparallel.kernel.JavaKernel;

/**
 * The jparallel kernel extension, found by {@code ServiceLoader}: registers {@code %%parallel},
 * {@code %parallel} and {@code %pool}, imports {@code org.jparallel.api.*} into the notebook and deletes
 * shared memory left by crashed processes; shows a run's timeline as its Gantt chart and a run handle as a snapshot of
 * its progress; shows the progress of {@code WorkerPool} calls made by notebook code
 * (unless the pool was built with {@code showProgress(false)}); when the kernel shuts down, stops the notebook's pool and
 * every {@code WorkerProcess} still running, and releases the shared memory the notebook created.
 */
public final class ParallelExtension implements Extension {

    @Override
    public void install(BaseKernel kernel) {
        kernel.getMagicsRegistry()
                .registerCellMagic("parallel", ParallelMagic.cell())
                .registerLineMagic("parallel", ParallelMagic.line())
                .registerLineMagic("pool", PoolMagic.line());
        Notebooks.install();
        TimelineDisplay.register(kernel.getRenderer());
        if (kernel instanceof JavaKernel javaKernel) {
            // WorkerPool calls from notebook code show progress too, in the form the cell's front end takes
            RunObserver.install((run, call) -> ProgressDisplay.observe(run, call, javaKernel.frontEnd()));
            // a worker's output, whichever run it belongs to, goes below a progress line drawn in place, not after it
            WorkerOutputPrinter.beforeAnyWrite(ProgressDisplay::makeRoomForAll);
            javaKernel.evalCell("import org.jparallel.api.*;");
            RunRendering.register(javaKernel.getRenderer());
        }
        SharedMemory.deleteOrphans();
    }

    @Override
    public void uninstall(BaseKernel kernel) {
        WorkerOutputPrinter.beforeAnyWrite(null);
        NotebookPool.stop();
        RealWorkerProcess.stopAll();
        SharedMemory.releaseAll();
    }
}
