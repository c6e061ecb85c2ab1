package org.jparallel.internal.shm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * {@code jparallel-shm-<creator pid>-<token>-<n>}. The token is random per JVM, so a later process that
 * happens to get the same pid never mistakes a dead predecessor's files for its own. The creator's pid
 * in the name lets any later process delete the segments of a creator that died without cleaning up.
 */
final class SegmentFiles {

    /** System property naming the directory for segments (default: /dev/shm, else java.io.tmpdir). */
    static final String DIRECTORY_PROPERTY = "jparallel.shm.dir";
    static final String PREFIX = "jparallel-shm-";
    private static final Pattern NAME = Pattern.compile(Pattern.quote(PREFIX) + "(\\d+)-([0-9a-f]{8})-(\\d+)");
    static final String TOKEN = String.format("%08x", ThreadLocalRandom.current().nextInt());
    private static final AtomicLong NEXT = new AtomicLong();

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
     * Deletes the segments in {@code directory} whose creator is dead: its pid is not running, or it is
     * this pid with another token (an earlier process that had this pid). Returns how many were deleted.
     */
    static int deleteOrphans(Path directory) {
        int deleted = 0;
        Map<Long, Boolean> alive = new HashMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, PREFIX + "*")) {
            for (Path entry : entries) {
                Matcher m = NAME.matcher(entry.getFileName().toString());
                if (!m.matches()) {
                    continue;
                }
                long pid = Long.parseLong(m.group(1));
                boolean orphan = pid == Pids.CURRENT
                        ? !m.group(2).equals(TOKEN)
                        : !alive.computeIfAbsent(pid, Pids::isAlive);
                if (orphan && Files.deleteIfExists(entry)) {
                    deleted++;
                }
            }
        } catch (IOException e) {
            // a directory we cannot list or a file we cannot delete: leave it for the next sweep
        }
        return deleted;
    }
}
