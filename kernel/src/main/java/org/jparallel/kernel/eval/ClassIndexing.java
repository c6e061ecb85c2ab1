package org.jparallel.kernel.eval;

import jdk.jshell.SourceCodeAnalysis;

import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Holds back JShell's index of the class path until the kernel lets it go.
 *
 * <p>JShell's source analysis starts, as it is created, a thread that indexes every class of the JDK and the class
 * path, for completion only (package names, types not imported yet). That took 0.08 to 0.14 s of CPU during the
 * kernel's start-up, of about 1 s in all, and 0.25 to 3.25 ms per cell over the 40 cells after it (JDK 17 and 25,
 * bench/kernel_threads.py: {@code Thread-#}), on a machine whose cores the kernel shares. Held back, it runs when
 * {@link #release()} is called: once the kernel has been idle a while, or before a completion.
 *
 * <p>The methods are JShell's own ({@code jdk.jshell.SourceCodeAnalysisImpl.suspendIndexing}/{@code resumeIndexing}),
 * reached by reflection like {@link CompilerClassFiles}; where they cannot be, the index is built at once as JShell
 * builds it.
 */
final class ClassIndexing {

    private final SourceCodeAnalysis analysis;
    private final Method resume;
    /** True while held back: from a suspension until its resumption; never without the methods. */
    private final AtomicBoolean held;

    /** @param resume JShell's {@code resumeIndexing}, after its {@code suspendIndexing} was called; or null */
    private ClassIndexing(SourceCodeAnalysis analysis, Method resume) {
        this.analysis = analysis;
        this.resume = resume;
        held = new AtomicBoolean(resume != null);
    }

    /** Holds back the indexing of {@code analysis}, which its creation has just started. */
    static ClassIndexing heldBack(SourceCodeAnalysis analysis) {
        try {
            Method suspend = analysis.getClass().getMethod("suspendIndexing");
            Method resume = analysis.getClass().getMethod("resumeIndexing");
            suspend.setAccessible(true);
            resume.setAccessible(true);
            suspend.invoke(analysis);
            return new ClassIndexing(analysis, resume);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return new ClassIndexing(analysis, null); // not opened to us: JShell indexes now
        }
    }

    /** Lets the indexing run; only the first call does something. */
    void release() {
        if (held.compareAndSet(true, false)) {
            try {
                resume.invoke(analysis);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("JShell's class-path indexing could not be resumed", e);
            }
        }
    }

    /** True while the indexing is held back. */
    boolean held() {
        return held.get();
    }
}
