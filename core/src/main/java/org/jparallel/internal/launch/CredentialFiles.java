package org.jparallel.internal.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Where a pool hands its secret and TLS credentials to workers that have no private channel from the kernel
 * (Slurm's): one file per worker, 0600, in a directory of the pool's own, 0700, under {@value #BASE} in the
 * user's home directory — which the cluster's nodes share, and where the worker finds it under its own
 * {@code $HOME}. The worker deletes its file as soon as it has opened it; the pool deletes a file whose worker
 * ended without reading it, and its directory when it stops. A directory left by a JVM of this host that was
 * killed is deleted by the next pool's start.
 */
final class CredentialFiles implements AutoCloseable {

    /** The credentials' directory, relative to the user's home directory here and on the nodes. */
    static final String BASE = ".jparallel/credentials";
    private static final FileAttribute<Set<PosixFilePermission>> DIRECTORY_MODE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final FileAttribute<Set<PosixFilePermission>> FILE_MODE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private final Path directory;

    private CredentialFiles(Path directory) {
        this.directory = directory;
    }

    /** A new directory for one pool, named after this host, this JVM's PID and 64 random bits. */
    static CredentialFiles create() {
        Path base = Path.of(System.getProperty("user.home")).resolve(BASE);
        String host = hostName();
        try {
            Files.createDirectories(base, DIRECTORY_MODE);
            Files.setPosixFilePermissions(base, DIRECTORY_MODE.value());
            deleteOrphans(base, host);
            byte[] random = new byte[8];
            new SecureRandom().nextBytes(random);
            String name = host + "-" + ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(random);
            return new CredentialFiles(Files.createDirectory(base.resolve(name), DIRECTORY_MODE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a directory for the workers' credentials in " + base + ": "
                    + e.getMessage(), e);
        }
    }

    /** Writes {@code content} to a new file {@code name} (0600 from its creation on). */
    void write(String name, byte[] content) throws IOException {
        Files.write(Files.createFile(directory.resolve(name), FILE_MODE), content, StandardOpenOption.WRITE);
    }

    /** The file {@code name} as a word for the node's shell: under its {@code $HOME}, double-quoted. */
    String shellWord(String name) {
        return "\"$HOME/" + BASE + "/" + directory.getFileName() + "/" + name + "\"";
    }

    /** Deletes the file {@code name} if it is still there (its worker never read it). */
    void delete(String name) {
        try {
            Files.deleteIfExists(directory.resolve(name));
        } catch (IOException e) {
            // the pool's close deletes the directory with what is left
        }
    }

    /** Deletes the directory and what is left in it. */
    @Override
    public void close() {
        deleteTree(directory);
    }

    /** Deletes the directories of JVMs of this host that are gone. */
    private static void deleteOrphans(Path base, String host) throws IOException {
        try (Stream<Path> dirs = Files.list(base)) {
            for (Path dir : dirs.toList()) {
                String[] parts = dir.getFileName().toString().split("-");
                if (parts.length >= 3 && dir.getFileName().toString().startsWith(host + "-")
                        && parts[parts.length - 2].matches("\\d+")
                        && ProcessHandle.of(Long.parseLong(parts[parts.length - 2])).isEmpty()) {
                    deleteTree(dir);
                }
            }
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // another JVM deletes it at the same time, or it is not ours to delete
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName().replace('-', '_');
        } catch (IOException e) {
            return "localhost";
        }
    }
}
