package org.jparallel.internal.pool;

import org.jparallel.api.RunOptions;
import org.jparallel.api.SerialCallable;
import org.jparallel.api.WorkerStatus;
import org.jparallel.internal.code.CodeSource;
import org.jparallel.internal.code.JarCache;
import org.jparallel.internal.launch.LaunchCommand;
import org.jparallel.testing.Await;
import org.jparallel.testing.NoSegmentsLeft;
import org.jparallel.testing.Pools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Classpath jars travel by content, with real worker JVMs: a class that only a jar given to the pool holds runs on
 * every worker, the jar crossing once per host (a host being a jar cache: each pool here gives its workers a cache
 * of their own with {@code -Djparallel.jarCache}), and a worker that cannot see the kernel's files at all gets it.
 */
@ExtendWith(NoSegmentsLeft.class)
class JarShippingIT {

    @TempDir
    static Path dir;
    private static Path classes;
    private static Path jar;

    /** {@code shipped.Greeter}, compiled here: on no worker's class path, only in {@link #jar} and {@link #classes}. */
    @BeforeAll
    static void compileAClassOfNoClassPath() throws IOException {
        Path source = Files.createDirectories(dir.resolve("src/shipped")).resolve("Greeter.java");
        Files.writeString(source, "package shipped;\n"
                + "public class Greeter {\n"
                + "    public static String from() {\n"
                + "        return Greeter.class.getProtectionDomain().getCodeSource().getLocation().getPath();\n"
                + "    }\n"
                + "}\n");
        classes = Files.createDirectories(dir.resolve("hidden/classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, "--release", "17", "-d", classes.toString(), source.toString()));
        jar = dir.resolve("hidden/greeter.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out)) {
            zip.putNextEntry(new JarEntry("shipped/Greeter.class"));
            zip.write(Files.readAllBytes(classes.resolve("shipped/Greeter.class")));
            zip.closeEntry();
        }
    }

    /** Where {@code shipped.Greeter} was loaded from on the worker: called by name, it is not on this class path. */
    static String greeterLocation() throws Exception {
        return (String) Class.forName("shipped.Greeter", true, Thread.currentThread().getContextClassLoader())
                .getMethod("from").invoke(null);
    }

    private static RealWorkerPool start(int workers, Path workerCache, List<Path> classpath, LaunchCommand launch)
            throws InterruptedException {
        RealWorkerPool pool = RealWorkerPool.start(new RealWorkerPool.Options(workers,
                List.of("-D" + JarCache.DIRECTORY_PROPERTY + "=" + workerCache), null, 0, null, classpath, launch),
                CodeSource.PLAIN);
        try {
            pool.awaitReady(Pools.READY.toSeconds(), TimeUnit.SECONDS);
        } catch (RuntimeException | InterruptedException e) {
            pool.terminate();
            throw e;
        }
        return pool;
    }

    private static <R> List<R> onEveryWorker(RealWorkerPool pool, SerialCallable<R> task) throws InterruptedException {
        RunHandle<R> run = pool.submitOnWorkers(task, List.of(), RunOptions.defaults());
        assertTrue(run.waitFor(Duration.ofSeconds(60)), "the task did not finish within 60 s");
        assertEquals(List.of(), run.failures());
        return run.results();
    }

    private static int jarsFetched(RealWorkerPool pool) {
        return pool.status().stream().mapToInt(WorkerStatus::jarsFetched).sum();
    }

    private static void stop(RealWorkerPool pool) {
        List<Long> pids = pool.status().stream().map(WorkerStatus::pid).toList();
        pool.terminate();
        Await.until("the workers to end", Pools.READY, () -> pids.stream().allMatch(Pools::gone));
    }

    private static List<String> files(Path directory) throws IOException {
        try (Stream<Path> list = Files.list(directory)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aJarCrossesOncePerHostHoweverManyWorkersStartTogether() throws Exception {
        Path hostA = dir.resolve("host-a-cache");
        Path hostB = dir.resolve("host-b-cache");
        String cached = hostA.resolve(JarCache.forUser().add(jar).sha256() + ".jar").toString();

        RealWorkerPool three = start(3, hostA, List.of(jar), LaunchCommand.LOCAL);
        try {
            assertEquals(List.of(cached, cached, cached), onEveryWorker(three, JarShippingIT::greeterLocation),
                    "every worker runs the class from its host's cached copy");
            assertEquals(1, jarsFetched(three), () -> "sent once to the host of 3 workers: " + three.status());
        } finally {
            stop(three);
        }
        assertEquals(List.of(".lock", Path.of(cached).getFileName().toString()), files(hostA), "nothing else left");

        RealWorkerPool again = start(2, hostA, List.of(jar), LaunchCommand.LOCAL);
        RealWorkerPool elsewhere = start(2, hostB, List.of(jar), LaunchCommand.LOCAL);
        try {
            onEveryWorker(again, JarShippingIT::greeterLocation);
            onEveryWorker(elsewhere, JarShippingIT::greeterLocation);
            assertEquals(0, jarsFetched(again), "the host has it from the first pool");
            assertEquals(1, jarsFetched(elsewhere), "another host gets it once");
        } finally {
            stop(again);
            stop(elsewhere);
        }
    }

    @Test
    void aWorkerThatCannotSeeTheKernelsFilesRunsCodeFromAJarAndADirectoryOnlyTheKernelHas() throws Exception {
        assumeTrue(canUnshareMounts(), "needs unshare --mount (root, or a user namespace) to hide the kernel's files");
        Path kernelCache = JarCache.forUser().directory();
        Path hidden = dir.resolve("hidden");
        Path emptyDirectory = Files.createDirectories(dir.resolve("empty-working-directory"));
        Path workerCache = dir.resolve("isolated-worker-cache");
        // a new mount namespace per worker, with empty file systems over the user's files and the kernel's cache
        LaunchCommand isolated = new LaunchCommand() {
            @Override
            public List<String> wrap(List<String> java) {
                List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--", "sh", "-c",
                        "mount -t tmpfs -o mode=0700 hidden \"$1\" && mount -t tmpfs -o mode=0700 hidden \"$2\""
                                + " && shift 2 && exec \"$@\"", "sh", hidden.toString(), kernelCache.toString()));
                command.addAll(java);
                return command;
            }

            @Override
            public Path workingDirectory() {
                return emptyDirectory;
            }
        };
        String jarPath = jar.toString();
        String classPath = classes.resolve("shipped/Greeter.class").toString();
        String kernelCopy = JarCache.forUser().add(jar).file().toString();

        RealWorkerPool pool = start(2, workerCache, List.of(classes, jar), isolated);
        try {
            List<String> seen = onEveryWorker(pool, () -> String.join(" ",
                    String.valueOf(Files.exists(Path.of(jarPath)) || Files.exists(Path.of(classPath))
                            || Files.exists(Path.of(kernelCopy))),
                    Path.of("").toAbsolutePath().toString(), String.valueOf(files(Path.of("")).isEmpty()),
                    greeterLocation()));
            String fromPackedDirectory = workerCache.resolve(JarCache.forUser().add(classes).sha256() + ".jar").toString();
            String expected = "false " + emptyDirectory + " true " + fromPackedDirectory;
            assertEquals(List.of(expected, expected), seen,
                    "no kernel file visible, an empty working directory, the class from the packed directory first");
            assertEquals(2, jarsFetched(pool), "the directory and the jar, once each for the two workers");
        } finally {
            stop(pool);
        }
    }

    private static boolean canUnshareMounts() throws IOException, InterruptedException {
        Process probe = new ProcessBuilder("unshare", "--mount", "--", "sh", "-c",
                "mount -t tmpfs probe /mnt").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
    }
}
