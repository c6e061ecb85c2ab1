package org.jparallel.internal.magic;

import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.jparallel.internal.process.RealWorkerProcess;
import org.jparallel.kernel.JavaKernel;

/**
 * The jparallel kernel extension, found by {@code ServiceLoader}: registers {@code %%parallel},
 * {@code %parallel} and {@code %pool}, imports {@code org.jparallel.api.*} into the notebook, and stops
 * the notebook's pool and every {@code WorkerProcess} still running when the kernel shuts down.
 */
public final class ParallelExtension implements Extension {

    @Override
    public void install(BaseKernel kernel) {
        kernel.getMagicsRegistry()
                .registerCellMagic("parallel", ParallelMagic.cell())
                .registerLineMagic("parallel", ParallelMagic.line())
                .registerLineMagic("pool", PoolMagic.line());
        if (kernel instanceof JavaKernel) {
            ((JavaKernel) kernel).evalCell("import org.jparallel.api.*;");
        }
    }

    @Override
    public void uninstall(BaseKernel kernel) {
        NotebookPool.stop();
        RealWorkerProcess.stopAll();
    }
}
