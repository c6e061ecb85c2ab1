package org.jparallel.internal.code;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Packs a classpath directory ({@code %classpath target/classes}) into a jar whose bytes depend only on the
 * directory's files: entries sorted by path, one fixed time, no extra fields. So the same directory gives the
 * same SHA-256 on every host and at every run, and travels like any jar.
 */
final class DirectoryPacker {

    /** The time of every entry: the first the zip format has room for, so no extended time field is written. */
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    private DirectoryPacker() {
    }

    static void pack(Path directory, OutputStream out) throws IOException {
        List<Path> entries;
        try (Stream<Path> walk = Files.walk(directory)) {
            entries = walk.filter(p -> !p.equals(directory)).sorted().collect(Collectors.toList());
        }
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Path path : entries) {
                String name = directory.relativize(path).toString().replace(path.getFileSystem().getSeparator(), "/");
                boolean isDirectory = Files.isDirectory(path);
                ZipEntry entry = new ZipEntry(isDirectory ? name + "/" : name);
                entry.setTimeLocal(ENTRY_TIME);
                zip.putNextEntry(entry);
                if (!isDirectory) {
                    Files.copy(path, zip);
                }
                zip.closeEntry();
            }
        }
    }
}
