package org.jparallel.internal.pool;

import org.jparallel.internal.code.CodeSource;
import org.jparallel.internal.code.SnippetCode;
import org.jparallel.internal.code.SnippetLoader;
import org.jparallel.internal.launch.CoreClasspath;
import org.jparallel.internal.launch.WorkerLauncher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * Makes the class-data archive of a notebook's workers at install time ({@code install/lib.sh}), so that the
 * kernel's first pool already starts from it: a pool of one worker on the class path a notebook gives its
 * workers ({@link CoreClasspath}), a few tasks as a notebook runs them, then a wait for the archive, which the
 * worker's class list makes once it ended. Run with {@code -Djparallel.worker.archiveDir=DIR}, as the kernel is.
 * Prints the archive's path; exits with 1 if none was made.
 */
public final class WorkerArchiveMaker {

    private static final Duration MAKING = Duration.ofMinutes(3);

    private WorkerArchiveMaker() {
    }

    public static void main(String[] args) throws Exception {
        CodeSource notebook = new SnippetCode(new SnippetLoader(WorkerArchiveMaker.class.getClassLoader()),
                StackTraceElement::toString, CoreClasspath.get());
        RealWorkerPool pool = RealWorkerPool.start(new RealWorkerPool.Options(1, List.of(), null, 0, null), notebook);
        try {
            pool.awaitReady(2, TimeUnit.MINUTES);
            pool.map((Integer x) -> x * x, IntStream.range(0, 10_000).boxed().toList(), 100).get();
            pool.apply((String s) -> s.length(), "a task with an argument").get();
        } finally {
            pool.close();
        }
        WorkerLauncher launcher = new WorkerLauncher(CoreClasspath.get(), List.of());
        Path archive = launcher.classDataArchive();
        long deadline = System.nanoTime() + MAKING.toNanos();
        while (archive == null && System.nanoTime() < deadline) {
            Thread.sleep(100); // the archive is made by a JVM of its own once the worker ended: nothing to wait on
            archive = launcher.classDataArchive();
        }
        if (archive == null) {
            System.err.println("no class-data archive was made for the workers: they start without one");
            System.exit(1);
        }
        System.out.println(archive);
    }
}
