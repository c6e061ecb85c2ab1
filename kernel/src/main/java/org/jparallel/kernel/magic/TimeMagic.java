package org.jparallel.kernel.magic;

import org.dflib.jjava.jupyter.kernel.magic.CellMagic;
import org.dflib.jjava.jupyter.kernel.magic.LineMagic;
import org.jparallel.kernel.JavaKernel;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * {@code %time STATEMENT} and {@code %%time}: runs the code, then prints its wall-clock time and the
 * CPU time the kernel process used meanwhile; returns the code's value, so {@code var x = %time f();} works.
 */
public final class TimeMagic {

    private TimeMagic() {
    }

    public static LineMagic<Object, JavaKernel> line() {
        return (kernel, args) -> {
            if (args.isEmpty()) {
                throw new MagicException("usage: %time STATEMENT");
            }
            return timed(kernel, MagicCalls.lineSource());
        };
    }

    public static CellMagic<Object, JavaKernel> cell() {
        return (kernel, args, body) -> {
            if (!args.isEmpty()) {
                throw new MagicException("%%time takes no arguments; the code goes on the lines below it");
            }
            return timed(kernel, body);
        };
    }

    private static Object timed(JavaKernel kernel, String code) {
        long wall0 = System.nanoTime();
        long cpu0 = processCpuNanos();
        try {
            return kernel.evalCell(code).value();
        } finally {
            long cpu = processCpuNanos() - cpu0;
            long wall = System.nanoTime() - wall0;
            System.out.println(String.format(Locale.ROOT, "Wall time: %s, CPU time: %s (all kernel threads)",
                    human(wall), human(cpu)));
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    static String human(long nanos) {
        if (nanos < 1_000_000) {
            return String.format(Locale.ROOT, "%.0f µs", nanos / 1e3);
        }
        if (nanos < 10_000_000_000L) {
            return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
        }
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }
}
