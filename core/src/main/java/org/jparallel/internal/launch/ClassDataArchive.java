package org.jparallel.internal.launch;

import org.jparallel.internal.wire.Message;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A class-data-sharing archive of what a worker loads to start and run its first tasks: with it a worker spent
 * 200 ms of CPU to answer its first task instead of 340 ms, and its idle RSS fell from 56.9 to 47.9 MiB (JDK 17;
 * Temurin 25: 385 to 195 ms, 68.4 to 54.6 MiB; a plain program's class path, BouncyCastle's jars included, medians
 * of 6 workers, bench/WorkerStartCost.java; see docs/architecture.md, "Worker start-up"). One
 * archive per JDK and class path, in a directory of its own ({@value #DIRECTORY_PROPERTY}, by default the
 * user's cache directory; the installed kernel's own).
 *
 * <p>It is made on first use: the first worker started while there is none writes the list of the classes it
 * loads ({@code -XX:DumpLoadedClassList}); once that worker has ended, a JVM of its own ({@link #main}, started
 * with the worker, so that it outlives a program that ends first) runs {@code java -Xshare:dump} on the list,
 * and the archive, which a {@code java -Xshare:on} must then be able to map, is renamed into place (0600, in a
 * 0700 directory). The installed kernel's archive is made this way at install time ({@code install/lib.sh}).
 * A static archive, not a dynamic one made at exit: it replaces the JDK's default one instead of adding to it
 * (RSS 42.6 against 46 MiB), and it needs no exit-time dump.
 *
 * <p>An archive never stops a worker from starting: it is only named when its file is the size it had when it
 * was made (the JDK 17 JVM dies of SIGBUS on a truncated archive instead of ignoring it), its name holds a hash
 * of the JDK and of every archived jar's path, size and modification time (a new JDK or a rebuilt jar means a
 * new archive, and the old one of the same class path is deleted when the new one is made), and the JVM itself
 * still ignores one it finds unusable ({@code -Xshare:auto}), silently. Only the leading jars of the class path
 * are archived (the JVM archives no class from a directory, and checks the runtime class path by prefix);
 * a class path that starts with a directory gets none. Options of the user's that touch class-data sharing
 * turn all this off, as {@value #ENABLED_PROPERTY}{@code =false} does.
 */
final class ClassDataArchive {

    /** The system property naming the directory that archives are read from and made in. */
    static final String DIRECTORY_PROPERTY = "jparallel.worker.archiveDir";
    /** The system property that, set to {@code false}, starts workers with no archive of ours. */
    static final String ENABLED_PROPERTY = "jparallel.worker.archive";

    /** Worker options that say the user chose class-data sharing: ours would clash (JDK 25 refuses -Xshare with AOT flags). */
    private static final List<String> SHARING_OPTIONS = List.of("-Xshare", "-XX:SharedArchiveFile", "-XX:SharedClassListFile",
            "-XX:ArchiveClassesAtExit", "-XX:DumpLoadedClassList", "-XX:AOT", "-XX:+AutoCreateSharedArchive",
            "-XX:-AutoCreateSharedArchive");
    /** Archives being made by this JVM (by their {@link #stem}): one at a time for each, however many pools start. */
    private static final Set<String> IN_PROGRESS = ConcurrentHashMap.newKeySet();
    private static final long MAKE_TIMEOUT_SECONDS = 300;
    /** A class a worker loads only once it is connected and about to run tasks, as a class list names it. */
    private static final String HELLO = Message.Hello.class.getName().replace('.', '/');

    private final String java;
    private final Path directory;
    private final String archivedClasspath;
    /** {@code worker-<hash of the JDK's home and the archived paths>}: what every version of this archive starts with. */
    private final String group;
    /** The group and a hash of the JDK's version and the jars' sizes and times: this version's name, without its size. */
    private final String stem;

    private ClassDataArchive(String java, Path directory, List<String> archived, String group, String stem) {
        this.java = java;
        this.directory = directory;
        this.archivedClasspath = String.join(File.pathSeparator, archived);
        this.group = group;
        this.stem = stem;
    }

    /** The flags for one worker: the archive's, or those that make it write a class list for one, or none. */
    record Plan(List<String> flags, Path classList) {
        static final Plan NONE = new Plan(List.of(), null);
    }

    /**
     * The archive for workers of this JDK ({@code java}) and class path, or null if they can have none: turned
     * off, a class path that starts with a directory, or nowhere to keep it.
     */
    static ClassDataArchive forWorkers(String java, String classpath) {
        if ("false".equalsIgnoreCase(System.getProperty(ENABLED_PROPERTY, ""))) {
            return null;
        }
        Path directory = directory();
        return directory == null ? null : of(java, directory, leadingJars(classpath));
    }

    /** The archive of these jars for this JDK, kept in this directory; null if there are none or one is gone. */
    static ClassDataArchive of(String java, Path directory, List<String> archived) {
        if (archived.isEmpty()) {
            return null;
        }
        List<String> location = new ArrayList<>(List.of(java));
        List<String> version = new ArrayList<>(List.of(System.getProperty("java.vm.version", "")));
        for (String jar : archived) {
            Path path = Path.of(jar);
            location.add(jar);
            try {
                version.add(Files.size(path) + "@" + Files.getLastModifiedTime(path).toMillis());
            } catch (IOException e) {
                return null; // gone: the worker will say so
            }
        }
        String group = "worker-" + hash(location);
        return new ClassDataArchive(java, directory, archived, group, group + "-" + hash(version));
    }

    /** Whether the user's worker options already say something about class-data sharing. */
    static boolean userChoseSharing(List<String> options) {
        return options.stream().anyMatch(o -> SHARING_OPTIONS.stream().anyMatch(o::startsWith));
    }

    /** The leading entries of the class path that are jars (regular files), up to the first that is not. */
    static List<String> leadingJars(String classpath) {
        List<String> jars = new ArrayList<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            if (entry.isEmpty() || !Files.isRegularFile(Path.of(entry))) {
                break;
            }
            jars.add(entry);
        }
        return jars;
    }

    /** The command that makes an archive of the classes listed, for this JDK's feature release. */
    static List<String> dumpCommand(String java, int feature, Path classList, Path archive, String classpath) {
        List<String> command = new ArrayList<>(List.of(java, "-Xshare:dump", "-XX:SharedClassListFile=" + classList,
                "-XX:SharedArchiveFile=" + archive));
        if (feature >= 24) {
            // JDK 24+ also stores the classes linked (JEP 483): 150 against 170 ms of CPU to a worker's first answer
            // (Temurin 25), and 49 against 50 MiB
            command.add("-XX:+AOTClassLinking");
        }
        command.addAll(List.of("-XX:+UseSerialGC", "-cp", classpath));
        return command;
    }

    /** Where the archive is kept once made, when it has this many bytes. */
    Path file(long size) {
        return directory.resolve(stem + "-" + size + ".jsa");
    }

    /** The archive's path when it is there whole, else null. */
    Path usable() {
        String prefix = stem + "-";
        try (DirectoryStream<Path> found = Files.newDirectoryStream(directory, prefix + "*.jsa")) {
            for (Path file : found) {
                String name = file.getFileName().toString();
                String size = name.substring(prefix.length(), name.length() - ".jsa".length());
                if (size.chars().allMatch(Character::isDigit) && !size.isEmpty()
                        && Files.size(file) == Long.parseLong(size)) {
                    return file;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return null; // no directory yet, or a file that went while we looked: no archive this time
        }
        return null;
    }

    /**
     * Whether a JVM started by this one is still making this archive (its maker has not ended yet): until it
     * ends, {@link #plan} trains no other worker.
     */
    boolean making() {
        return IN_PROGRESS.contains(stem);
    }

    /** The flags for the next worker of a launcher. */
    Plan plan() {
        Path archive = usable();
        if (archive != null) {
            // the JVM would name an archive it cannot use on standard output, which a stand-alone process shares
            return new Plan(List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off"), null);
        }
        if (Files.exists(directory.resolve(stem + ".failed")) || !IN_PROGRESS.add(stem)) {
            return Plan.NONE;
        }
        try {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            IN_PROGRESS.remove(stem);
            return Plan.NONE;
        }
        Path classList = directory.resolve(stem + "." + ProcessHandle.current().pid() + ".classlist");
        return new Plan(List.of("-XX:DumpLoadedClassList=" + classList), classList);
    }

    /**
     * The worker given this plan started (or, {@code worker} null, did not). The archive is made once it has
     * ended, by a JVM of its own ({@link #main}) that waits for it: this one may well end first (a program that
     * closes its pool and returns from {@code main}).
     */
    void started(Plan plan, Process worker) {
        if (plan.classList() == null) {
            return;
        }
        try {
            if (worker != null) {
                new ProcessBuilder(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-Xshare:auto",
                        "-cp", archivedClasspath, ClassDataArchive.class.getName(), Long.toString(worker.pid()),
                        plan.classList().toString(), java, directory.toString(), archivedClasspath)
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true)
                        .start().onExit().thenRun(() -> IN_PROGRESS.remove(stem));
                return;
            }
        } catch (IOException e) {
            // no archive this time
        }
        deleteQuietly(plan.classList());
        IN_PROGRESS.remove(stem);
    }

    /**
     * Makes an archive: {@code <worker pid> <class list> <java> <directory> <archived class path>}. Waits for the
     * worker to end (its class list is complete then), and remembers a failure so no later worker retries.
     */
    public static void main(String[] args) {
        ProcessHandle.of(Long.parseLong(args[0])).ifPresent(worker -> worker.onExit().join());
        ClassDataArchive archive = of(args[2], Path.of(args[3]), List.of(args[4].split(File.pathSeparator)));
        if (archive != null) {
            archive.make(Path.of(args[1]));
        }
    }

    /** Makes the archive from the class list a worker wrote (waiting for the processes it runs), then deletes the list. */
    void make(Path classList) {
        Path temporary = directory.resolve(stem + "." + ProcessHandle.current().pid() + ".jsa.tmp");
        try {
            deleteOrphans();
            if (!saidHello(classList)) {
                return; // the worker died starting: its list would make an archive of half the classes; the next tries
            }
            boolean made = run(dumpCommand(java, Runtime.version().feature(), classList, temporary, archivedClasspath))
                    && run(List.of(java, "-Xshare:on", "-XX:SharedArchiveFile=" + temporary, "-XX:+UseSerialGC",
                    "-cp", archivedClasspath, "-version"));
            if (made) {
                Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
                Path archive = file(Files.size(temporary));
                Files.move(temporary, archive, StandardCopyOption.ATOMIC_MOVE);
                deleteAllBut(archive);
            } else {
                Files.write(directory.resolve(stem + ".failed"), new byte[0]);
            }
        } catch (IOException e) {
            // the directory went or filled up: no archive, workers start without one
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            deleteQuietly(classList);
            deleteQuietly(temporary);
        }
    }

    /** Whether the worker that wrote this class list got as far as saying hello, ready for tasks. */
    private static boolean saidHello(Path classList) throws IOException {
        try (var lines = Files.lines(classList, StandardCharsets.UTF_8)) {
            return lines.anyMatch(line -> line.equals(HELLO) || line.startsWith(HELLO + " "));
        }
    }

    private static boolean run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(MAKE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
            return false;
        }
        return process.exitValue() == 0;
    }

    /**
     * The other archives and markers of this JDK and class path: made from other jars or another JDK version
     * (stale now), or one of this version that was cut short.
     */
    private void deleteAllBut(Path kept) throws IOException {
        try (DirectoryStream<Path> found = Files.newDirectoryStream(directory, group + "-*.{jsa,failed}")) {
            for (Path file : found) {
                if (!file.equals(kept)) {
                    deleteQuietly(file);
                }
            }
        }
    }

    /** Class lists and half-made archives of JVMs that ended before they finished one ({@code <stem>.<pid>.*}). */
    private void deleteOrphans() throws IOException {
        try (DirectoryStream<Path> found = Files.newDirectoryStream(directory, "worker-*.*.{classlist,jsa.tmp}")) {
            for (Path file : found) {
                String[] parts = file.getFileName().toString().split("\\.");
                if (parts.length >= 3 && parts[1].chars().allMatch(Character::isDigit)
                        && ProcessHandle.of(Long.parseLong(parts[1])).isEmpty()) {
                    deleteQuietly(file);
                }
            }
        }
    }

    private static Path directory() {
        String configured = System.getProperty(DIRECTORY_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String cache = System.getenv("XDG_CACHE_HOME");
        Path base = cache != null && !cache.isBlank() ? Path.of(cache) : null;
        if (base == null) {
            String home = System.getProperty("user.home");
            if (home == null || home.isBlank() || "?".equals(home)) {
                return null;
            }
            base = Path.of(home, ".cache");
        }
        return base.resolve("jparallel").resolve("worker-archives");
    }

    private static String hash(List<String> parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                digest.update(part.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // left for the next sweep
        }
    }
}
