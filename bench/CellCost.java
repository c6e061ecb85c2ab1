import org.jparallel.kernel.JavaKernel;
import org.jparallel.kernel.JavaKernelBuilder;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Field;
import java.util.Arrays;

/**
 * What a cell costs the kernel's JShell, without Jupyter's messaging: builds the kernel in this JVM as
 * {@code KernelMain} does (its extensions and default imports, no sockets), then evaluates a cell again and again.
 * Prints the CPU time of the start-up phases (JShell built, extensions, default imports, the first cell) and, per
 * measured cell, the evaluating thread's CPU time (median and mean) beside the whole process's (the JIT's compiler
 * threads included) and the JIT's compile time. Run it with the kernel's JVM flags (and others to compare):
 *
 * <pre>CellCost WARMUP CELLS [CODE]</pre>
 *
 * See bench/README.md ("Why a cell costs more on Temurin 25").
 */
public class CellCost {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    public static void main(String[] args) throws Exception {
        int warmup = Integer.parseInt(args[0]);
        int cells = Integer.parseInt(args[1]);
        String code = args.length > 2 ? args[2] : "1+1";
        phase("JVM up to main");
        JavaKernel kernel = new JavaKernelBuilder().build();
        phase("JShell built");
        kernel.onStartup();
        phase("extensions");
        Field imports = JavaKernelBuilder.class.getDeclaredField("DEFAULT_IMPORTS");
        imports.setAccessible(true);
        kernel.evalCell((String) imports.get(null));
        phase("default imports");
        kernel.evalCell(code);
        phase("first cell");
        for (int i = 0; i < warmup; i++) {
            kernel.evalCell(code);
        }
        long[] thread = new long[cells];
        long process = OS.getProcessCpuTime();
        long jit = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
        for (int i = 0; i < cells; i++) {
            long start = THREADS.getCurrentThreadCpuTime();
            kernel.evalCell(code);
            thread[i] = THREADS.getCurrentThreadCpuTime() - start;
        }
        process = OS.getProcessCpuTime() - process;
        jit = ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - jit;
        long[] sorted = thread.clone();
        Arrays.sort(sorted);
        System.out.printf("`%s` after %d cells, per cell of %d: evaluating thread CPU median %.2f ms, mean %.2f ms;"
                        + " process CPU %.2f ms; JIT compile time %d ms in all%n", code, warmup, cells,
                sorted[cells / 2] / 1e6, Arrays.stream(thread).sum() / 1e6 / cells, process / 1e6 / cells, jit);
        System.exit(0); // the kernel's threads (class indexing held back, idle work) are not daemons of ours to stop
    }

    private static long lastThread;
    private static long lastProcess;

    /** Prints the CPU time of the main thread and of the process since the last phase. */
    private static void phase(String name) {
        long thread = THREADS.getCurrentThreadCpuTime();
        long process = OS.getProcessCpuTime();
        System.out.printf("%-18s main thread CPU %5.0f ms, process CPU %5.0f ms%n", name,
                (thread - lastThread) / 1e6, (process - lastProcess) / 1e6);
        lastThread = thread;
        lastProcess = process;
    }
}
