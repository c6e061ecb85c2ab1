package org.jparallel.internal.code;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One user's jars on one host, each in a file named by its content's SHA-256 ({@code <sha256>.jar}): the kernel
 * puts there what {@code %jars}, {@code %classpath} or a pool's class path add, and serves workers from there;
 * a worker looks there first and asks the kernel only for what is missing. So a jar crosses the wire once per
 * host (per cache), whatever the number of workers, cells or pools, and no worker needs the kernel's files.
 *
 * <p>The directory is {@code $XDG_CACHE_HOME/jparallel/jars} ({@code ~/.cache/jparallel/jars} without it), or
 * the system property {@value #DIRECTORY_PROPERTY}; mode 0700, files 0600. A file is written under a temporary
 * name and renamed into place once its digest is checked, so a reader never sees half a jar; a file is checked
 * against its name each time it is {@linkplain #find found}, and one that does not match is deleted. Changes
 * are made holding the cache's lock ({@link #locked}), an advisory lock on its {@code .lock} file that the
 * processes of a host share and that the system frees when its holder dies: so two workers starting together
 * receive a jar once, and what a killed writer left half-written is deleted by the next holder.
 */
public final class JarCache {

    /** The system property that overrides the cache directory. */
    public static final String DIRECTORY_PROPERTY = "jparallel.jarCache";

    private static final FileAttribute<Set<PosixFilePermission>> DIRECTORY_MODE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final FileAttribute<Set<PosixFilePermission>> FILE_MODE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final String SUFFIX = ".jar";
    private static final String INCOMING = ".incoming-";
    /** The lock of a directory within this JVM: a file lock is held per JVM, not per thread. */
    private static final Map<Path, Object> JVM_LOCKS = new ConcurrentHashMap<>();

    private final Path directory;

    /** The cache in {@code directory}, made (0700) if it does not exist. */
    public JarCache(Path directory) throws IOException {
        this.directory = directory.toAbsolutePath().normalize();
        Files.createDirectories(this.directory.getParent());
        try {
            Files.createDirectory(this.directory, DIRECTORY_MODE);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            Files.setPosixFilePermissions(this.directory, DIRECTORY_MODE.value());
        }
    }

    /** This user's cache on this host (see the class comment). */
    public static JarCache forUser() throws IOException {
        return new JarCache(userDirectory());
    }

    static Path userDirectory() {
        String property = System.getProperty(DIRECTORY_PROPERTY);
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("jparallel").resolve("jars");
    }

    public Path directory() {
        return directory;
    }

    /** Something that writes a jar's bytes. */
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Something done holding the cache's lock. */
    public interface Locked<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code action} holding the cache's lock: other threads of this JVM and other processes of this host
     * wait meanwhile. Half-written files of holders that died are deleted first. Not reentrant.
     */
    public <T> T locked(Locked<T> action) throws IOException {
        synchronized (JVM_LOCKS.computeIfAbsent(directory, d -> new Object())) {
            try (FileChannel lockFile = FileChannel.open(directory.resolve(".lock"),
                    Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), FILE_MODE);
                 FileLock ignored = lockFile.lock()) {
                deleteIncoming();
                return action.run();
            }
        }
    }

    /** The cached jar with this digest, its content checked; null if there is none (a corrupt one is deleted). */
    public Path find(String sha256) throws IOException {
        Path file = fileOf(sha256);
        String actual;
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = sha256();
            byte[] buffer = new byte[64 * 1024];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
            actual = HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchFileException e) {
            return null;
        }
        if (!actual.equals(sha256)) {
            Files.deleteIfExists(file);
            return null;
        }
        return file;
    }

    /**
     * Adds a classpath entry: a jar (any file) as it is, a directory packed ({@link DirectoryPacker}). Returns it
     * as it travels. Takes the lock.
     *
     * @throws NoSuchFileException if there is no such file or directory
     */
    public ClasspathJar add(Path source) throws IOException {
        Path entry = source.toAbsolutePath().normalize();
        if (!Files.exists(entry)) {
            throw new NoSuchFileException(entry.toString(), null, "no such jar or directory");
        }
        String fileName = entry.getFileName() == null ? "" : entry.getFileName().toString();
        if (directory.equals(entry.getParent()) && fileName.matches("[0-9a-f]{64}\\.jar")) {
            String sha256 = fileName.substring(0, 64); // already here (the kernel compiles against the cached copy)
            Path cached = find(sha256);
            if (cached == null) {
                throw new NoSuchFileException(entry.toString(), null, "not in the jar cache any more");
            }
            return new ClasspathJar(fileName, sha256, Files.size(cached), cached);
        }
        boolean isDirectory = Files.isDirectory(entry);
        return locked(() -> store(entry.toString(), null,
                out -> {
                    if (isDirectory) {
                        DirectoryPacker.pack(entry, out);
                    } else {
                        Files.copy(entry, out);
                    }
                }));
    }

    /**
     * Writes a jar into the cache under its digest, atomically: to a temporary file (0600), synced, checked, then
     * renamed. With {@code expectedSha256}, bytes whose digest differs are refused (an {@link IOException} that
     * says both) and nothing is left. Call it holding the lock.
     */
    public ClasspathJar store(String name, String expectedSha256, Content content) throws IOException {
        Path temp = Files.createTempFile(directory, INCOMING, ".tmp", FILE_MODE);
        try {
            MessageDigest digest = sha256();
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
                 OutputStream out = new DigestOutputStream(Channels.newOutputStream(channel), digest)) {
                content.writeTo(new FilterOutputStream(out) { // a zip stream closes what it writes to
                    @Override
                    public void write(byte[] bytes, int offset, int length) throws IOException {
                        out.write(bytes, offset, length);
                    }

                    @Override
                    public void close() throws IOException {
                        flush();
                    }
                });
                out.flush();
                channel.force(true);
            }
            String sha256 = HexFormat.of().formatHex(digest.digest());
            if (expectedSha256 != null && !expectedSha256.equals(sha256)) {
                throw new IOException("the bytes received have SHA-256 " + sha256 + ", not " + expectedSha256);
            }
            long size = Files.size(temp);
            Path file = fileOf(sha256);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return new ClasspathJar(name, sha256, size, file);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private Path fileOf(String sha256) {
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a SHA-256 in hex: " + sha256);
        }
        return directory.resolve(sha256 + SUFFIX);
    }

    private void deleteIncoming() throws IOException {
        try (DirectoryStream<Path> left = Files.newDirectoryStream(directory, INCOMING + "*")) {
            for (Path file : left) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
