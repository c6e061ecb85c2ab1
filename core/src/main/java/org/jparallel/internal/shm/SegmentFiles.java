package org.jparallel.internal.shm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where segments live and what they are called: {@code /dev/shm} (or the temp directory where there is
 * none, or the directory in system property {@value #DIRECTORY_PROPERTY}), files named
 * {@code jparallel-shm-<creator pid>-<token>-<n>}, readable and writable by their owner only. The token
 * is the creator's start time (16 hex digits: clock ticks since boot, from {@code /proc}; random where
 * that is unknown), so a later process that happens to get the same pid is never taken for the creator,
 * and the creator's pid in the name lets any later process delete the segments of a creator that died
 * without cleaning up. (Tokens of 8 hex digits are random, from earlier versions.)
 */
final class SegmentFiles {

    /** System property naming the directory for segments (default: /dev/shm, else java.io.tmpdir). */
    static final String DIRECTORY_PROPERTY = "jparallel.shm.dir";
    static final String PREFIX = "jparallel-shm-";
    private static final Pattern NAME = Pattern.compile(Pattern.quote(PREFIX) + "(\\d+)-([0-9a-f]{16}|[0-9a-f]{8})-(\\d+)");
    static final String TOKEN = String.format("%016x",
            Pids.CURRENT_START >= 0 ? Pids.CURRENT_START : ThreadLocalRandom.current().nextLong());
    private static final AtomicLong NEXT = new AtomicLong();
    /** Owner read and write only (0600), as Python's shared_memory: a segment may hold anything. */
    static final EnumSet<PosixFilePermission> MODE = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE);

    private SegmentFiles() {
    }

    /** The directory new segments are created in. */
    static Path directory() {
        String configured = System.getProperty(DIRECTORY_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path shm = Path.of("/dev/shm");
        if (Files.isDirectory(shm) && Files.isWritable(shm)) {
            return shm;
        }
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    /** A name no segment has had. */
    static Path newPath() {
        return directory().resolve(PREFIX + Pids.CURRENT + "-" + TOKEN + "-" + NEXT.incrementAndGet());
    }

    /**
     * The attributes a new segment is created with, so that it is never readable by others, not even for
     * the moment a later chmod would leave: {@link #MODE} where the file system has POSIX permissions.
     */
    static FileAttribute<?>[] creationAttributes(Path path) {
        if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(MODE)};
        }
        return new FileAttribute<?>[0];
    }

    /** Whether {@code path} is named like a segment and is a regular file (not a link to something else). */
    static boolean isSegment(Path path) {
        Path name = path.getFileName();
        return name != null && NAME.matcher(name.toString()).matches()
                && Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS);
    }

    /** The segments in {@code directory} created by process {@code pid}. */
    static List<Path> createdBy(Path directory, long pid) {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, PREFIX + pid + "-*")) {
            for (Path entry : entries) {
                Matcher m = NAME.matcher(entry.getFileName().toString());
                if (m.matches() && Long.parseLong(m.group(1)) == pid) {
                    found.add(entry);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
        return found;
    }

    /**
     * Deletes this user's segments in {@code directory} whose creator is dead: its pid is not running, or
     * runs a process that started later than the creator (the token says when the creator started), or it
     * is this pid with another token. Returns how many were deleted.
     */
    static int deleteOrphans(Path directory) {
        return deleteOrphans(directory, PREFIX + "*");
    }

    /** {@link #deleteOrphans(Path)} for the segments that process {@code pid} created. */
    static int deleteOrphansOf(Path directory, long pid) {
        return deleteOrphans(directory, PREFIX + pid + "-*");
    }

    private static int deleteOrphans(Path directory, String glob) {
        int deleted = 0;
        Map<String, Boolean> alive = new HashMap<>();
        UserPrincipal me = currentUser();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, glob)) {
            for (Path entry : entries) {
                Matcher m = NAME.matcher(entry.getFileName().toString());
                if (!m.matches()) {
                    continue;
                }
                long pid = Long.parseLong(m.group(1));
                String token = m.group(2);
                boolean orphan = pid == Pids.CURRENT
                        ? !token.equals(TOKEN)
                        : !alive.computeIfAbsent(pid + "-" + token, k -> creatorAlive(pid, token));
                try {
                    if (orphan && isOwnedBy(entry, me) && Files.deleteIfExists(entry)) {
                        deleted++;
                    }
                } catch (IOException e) {
                    // gone meanwhile, or not ours to delete: leave it for the next sweep
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // a directory we cannot list: nothing to sweep
        }
        return deleted;
    }

    private static boolean creatorAlive(long pid, String token) {
        return token.length() == 16 && Pids.CURRENT_START >= 0
                ? Pids.isAlive(pid, Long.parseUnsignedLong(token, 16))
                : Pids.isAlive(pid);
    }

    /**
     * This user, whose segments alone a sweep deletes: another user's process may be invisible here (a
     * {@code /proc} mounted with {@code hidepid}) and so look dead, and root may delete any file.
     * Null where owners are unknown.
     */
    private static UserPrincipal currentUser() {
        try {
            return FileSystems.getDefault().getUserPrincipalLookupService()
                    .lookupPrincipalByName(System.getProperty("user.name"));
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    private static boolean isOwnedBy(Path entry, UserPrincipal user) throws IOException {
        return user == null || user.equals(Files.getOwner(entry, LinkOption.NOFOLLOW_LINKS));
    }
}
