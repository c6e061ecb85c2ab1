package org.jparallel.kernel;

import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.jparallel.kernel.io.KernelConnection;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Starts the kernel for a Jupyter connection file: {@code KernelMain <connection-file>}.
 *
 * <p>Environment: {@code JPARALLEL_CLASSPATH} (extra jars for notebooks, also searched for
 * extensions), {@code JPARALLEL_COMPILER_OPTS} (extra {@code javac} options, space separated).
 */
public final class KernelMain {

    private static final long HALT_AFTER_MS = 5000;

    private KernelMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: KernelMain <connection-file>");
            System.exit(2);
        }
        KernelLog.configure();
        KernelConnectionProperties properties = KernelConnectionProperties.parse(Files.readString(Path.of(args[0])));
        KernelConnection connection = new KernelConnection(properties);

        String compilerOpts = System.getenv().getOrDefault("JPARALLEL_COMPILER_OPTS", "").trim();
        JavaKernel kernel = new JavaKernelBuilder()
                .compilerOptions(compilerOpts.isEmpty() ? List.of() : Arrays.asList(compilerOpts.split("\\s+")))
                .build();
        kernel.notebookIO().installSystemStreams();
        kernel.onStartup();
        kernel.evalCell(JavaKernelBuilder.DEFAULT_IMPORTS);
        String extra = System.getenv("JPARALLEL_CLASSPATH");
        if (extra != null && !extra.isBlank()) {
            kernel.evaluator().addToClasspath(extra);
            kernel.installExtensionsFrom(extra);
        }
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        exitWithParent(kernel, connection);
        connection.waitUntilClose();
        exit();
    }

    /** Ends the process even if user code left threads running or a shutdown hook hangs. */
    private static void exit() {
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(HALT_AFTER_MS);
            } catch (InterruptedException e) {
                return;
            }
            Runtime.getRuntime().halt(1);
        }, "jparallel-halt");
        halt.setDaemon(true);
        halt.start();
        System.exit(0);
    }

    /** Jupyter names the process that started us in JPY_PARENT_PID; when it dies, so does the kernel. */
    private static void exitWithParent(JavaKernel kernel, KernelConnection connection) {
        String parent = System.getenv("JPY_PARENT_PID");
        if (parent == null || !parent.matches("\\d+")) {
            return;
        }
        ProcessHandle.of(Long.parseLong(parent)).ifPresentOrElse(
                p -> p.onExit().thenRun(() -> {
                    kernel.interrupt();
                    connection.close();
                }),
                connection::close);
    }
}
