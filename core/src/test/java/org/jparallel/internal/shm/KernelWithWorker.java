package org.jparallel.internal.shm;

import org.jparallel.api.Shared;
import org.jparallel.api.SharedEvent;
import org.jparallel.api.WorkerPool;

import java.io.IOException;

/**
 * A stand-in for a notebook's kernel, for tests that must stop or kill the kernel: starts a pool of one
 * worker, whose task creates an int value and a 1 MiB array (kept, never closed) and then waits for the
 * event {@code go}, when it calls {@code System.exit(3)}. Prints {@code <worker pid> <go>} (go as in
 * {@link ChildProcess#describe}) once the worker has created both, then waits for its standard input to end.
 */
public final class KernelWithWorker {

    private KernelWithWorker() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        WorkerPool pool = WorkerPool.start(1).awaitReady();
        SharedEvent made = Shared.event();
        SharedEvent go = Shared.event();
        pool.applyAsync(() -> {
            Shared.intValue(7);
            Shared.byteArray(1 << 20);
            made.set();
            go.await();
            System.exit(3);
            return 0;
        });
        made.await();
        System.out.println(pool.status().get(0).pid() + " " + ChildProcess.describe(go));
        System.out.flush();
        while (System.in.read() >= 0) {
            // the test ends this process
        }
        pool.terminate();
    }
}
