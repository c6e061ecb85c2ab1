package org.jparallel.kernel;

import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.jparallel.kernel.io.KernelConnection;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Starts the kernel for a Jupyter connection file: {@code KernelMain <connection-file>}.
 *
 * <p>Environment: {@code JPARALLEL_CLASSPATH} (extra jars for notebooks, also searched for
 * extensions), {@code JPARALLEL_COMPILER_OPTS} (extra {@code javac} options, space separated).
 */
public final class KernelMain {

    private static final long HALT_AFTER_MS = 5000;
    /**
     * The argument that runs the kernel's start-up and a first cell without a connection, then exits: what the
     * class-data archive made at install time records (see install/lib.sh).
     */
    static final String WARM_UP = "--warm-up";

    private KernelMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: KernelMain <connection-file> | KernelMain " + WARM_UP);
            System.exit(2);
        }
        if (args[0].equals(WARM_UP)) {
            warmUp();
            return;
        }
        KernelLog.configure();
        KernelConnectionProperties properties = KernelConnectionProperties.parse(Files.readString(Path.of(args[0])));
        String compilerOpts = System.getenv().getOrDefault("JPARALLEL_COMPILER_OPTS", "").trim();
        JavaKernelBuilder builder = new JavaKernelBuilder()
                .compilerOptions(compilerOpts.isEmpty() ? List.of() : Arrays.asList(compilerOpts.split("\\s+")));
        FutureTask<KernelConnection> binding = answeringKernelInfo(properties, builder.info());
        JavaKernel kernel = builder.build();
        kernel.notebookIO().installSystemStreams();
        kernel.onStartup();
        kernel.evalCell(JavaKernelBuilder.DEFAULT_IMPORTS);
        String extra = System.getenv("JPARALLEL_CLASSPATH");
        if (extra != null && !extra.isBlank()) {
            kernel.evaluator().addToClasspath(extra);
            kernel.installExtensionsFrom(extra);
        }
        KernelConnection connection = bound(binding);
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        exitWithParent(kernel, connection);
        connection.waitUntilClose();
        exit();
    }

    /**
     * Binds the kernel's sockets and starts answering kernel_info requests, on a thread of its own: the rest waits
     * until the kernel connects. Binding (JeroMQ, the first message's JSON) took 150 to 200 ms of CPU, next to 0.6 s
     * for JShell and the default imports (JDK 17, measured in a warm-up run), and front ends wait for the kernel_info
     * reply before they send a first cell: all of it overlaps JShell's start.
     */
    private static FutureTask<KernelConnection> answeringKernelInfo(KernelConnectionProperties properties,
                                                                    KernelInfo info) {
        FutureTask<KernelConnection> binding = new FutureTask<>(() -> {
            KernelConnection bound = new KernelConnection(properties);
            bound.answerKernelInfoEarly(info.handler());
            return bound;
        });
        new Thread(binding, "jparallel-bind").start();
        return binding;
    }

    /**
     * Starts a kernel as {@link #main} does, binds its sockets on free local ports, evaluates a first cell, and
     * exits: the classes this loads are the ones a kernel needs up to its first result.
     */
    private static void warmUp() throws Exception {
        KernelLog.configure();
        KernelConnectionProperties properties = KernelConnectionProperties.parse(String.format(
                "{\"transport\": \"tcp\", \"ip\": \"127.0.0.1\", \"control_port\": %d, \"shell_port\": %d,"
                        + " \"stdin_port\": %d, \"hb_port\": %d, \"iopub_port\": %d,"
                        + " \"signature_scheme\": \"hmac-sha256\", \"key\": \"%s\"}",
                freePort(), freePort(), freePort(), freePort(), freePort(), UUID.randomUUID()));
        JavaKernelBuilder builder = new JavaKernelBuilder();
        FutureTask<KernelConnection> binding = answeringKernelInfo(properties, builder.info());
        JavaKernel kernel = builder.build();
        kernel.onStartup();
        kernel.evalCell(JavaKernelBuilder.DEFAULT_IMPORTS);
        KernelConnection connection = bound(binding);
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        kernel.render(kernel.evalCell("1+1").value());
        kernel.onShutdown(false);
        connection.close();
        System.exit(0); // not exit(): its halt could cut the class-data archive short as the JVM writes it
    }

    private static KernelConnection bound(FutureTask<KernelConnection> binding) throws Exception {
        try {
            return binding.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
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
