package org.jparallel.internal.shm;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * One memory-mapped file holding one shared object ({@link Layout}). The creating process owns it and
 * deletes the file when it is released; other processes only map it. The mapping itself is undone by
 * the garbage collector once nothing refers to the buffer (Java 17 has no safe explicit unmap), so
 * access after {@link #close()} is refused by the objects, not by the memory.
 */
final class Segment {

    final Path path;
    final MappedByteBuffer buffer;
    final Kind kind;
    final int flags;
    final int length;
    final long creator;
    /** Whether this process created the segment, and so deletes it. */
    final boolean owned;
    private volatile boolean closed;

    private Segment(Path path, MappedByteBuffer buffer, Kind kind, int flags, int length, long creator, boolean owned) {
        this.path = path;
        this.buffer = buffer;
        this.kind = kind;
        this.flags = flags;
        this.length = length;
        this.creator = creator;
        this.owned = owned;
    }

    /** Creates the file {@code path} (which must not exist), maps it and writes the header. */
    static Segment create(Path path, Kind kind, int length, int flags) throws IOException {
        long size = Layout.size(kind, length);
        if (length < 0 || size > Layout.MAX_SIZE) {
            throw new IllegalArgumentException("a shared " + kind.name().toLowerCase() + " of " + length
                    + " elements does not fit in one segment (at most 2 GiB)");
        }
        MappedByteBuffer buffer;
        // created owner-only in the same system call (open with O_CREAT|O_EXCL and mode 0600): a chmod
        // afterwards would leave a moment in which another user could open the file and keep it open
        try (FileChannel channel = FileChannel.open(path, Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ, StandardOpenOption.WRITE), SegmentFiles.creationAttributes(path))) {
            buffer = channel.map(FileChannel.MapMode.READ_WRITE, 0, size); // grows the file, zero-filled
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(path);
            throw e;
        }
        buffer.order(ByteOrder.nativeOrder());
        buffer.putInt(Layout.VERSION_AT, Layout.VERSION);
        buffer.putInt(Layout.KIND_AT, kind.code());
        buffer.putInt(Layout.FLAGS_AT, flags);
        buffer.putLong(Layout.CREATOR_AT, Pids.CURRENT);
        buffer.putInt(Layout.LENGTH_AT, length);
        Access.INT.setRelease(buffer, Layout.MAGIC_AT, Layout.MAGIC);
        return new Segment(path, buffer, kind, flags, length, Pids.CURRENT, true);
    }

    /**
     * Maps an existing segment created by some process.
     *
     * @throws NoSuchFileException if it no longer exists (its creator closed it or exited)
     * @throws IOException         if it cannot be mapped
     * @throws IllegalArgumentException if the file is not a segment
     */
    static Segment map(Path path) throws IOException {
        if (!SegmentFiles.isSegment(path)) {
            if (!Files.exists(path)) {
                throw new NoSuchFileException(path.toString());
            }
            throw new IllegalArgumentException(path + " is not a jparallel shared memory segment");
        }
        MappedByteBuffer buffer;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = channel.size();
            if (size < Layout.VALUE_AT || size > Layout.MAX_SIZE) {
                throw new IllegalArgumentException(path + " is not a jparallel shared memory segment (size " + size + ")");
            }
            buffer = channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
        }
        buffer.order(ByteOrder.nativeOrder());
        int magic = (int) Access.INT.getAcquire(buffer, Layout.MAGIC_AT);
        if (magic != Layout.MAGIC || buffer.getInt(Layout.VERSION_AT) != Layout.VERSION) {
            throw new IllegalArgumentException(path + " is not a jparallel shared memory segment of layout version "
                    + Layout.VERSION);
        }
        Kind kind = Kind.ofCode(buffer.getInt(Layout.KIND_AT));
        int length = buffer.getInt(Layout.LENGTH_AT);
        if (Layout.size(kind, length) > buffer.capacity()) {
            throw new IllegalArgumentException(path + " is shorter than its header says");
        }
        return new Segment(path, buffer, kind, buffer.getInt(Layout.FLAGS_AT), length,
                buffer.getLong(Layout.CREATOR_AT), false);
    }

    boolean hasLock() {
        return (flags & Layout.FLAG_LOCK) != 0;
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * Marks the segment closed and, if this process created it, deletes its file. Idempotent; a second
     * caller (a shutdown hook and a worker's halt at once) returns only once the file is deleted, so the
     * process cannot end between the two steps.
     */
    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (owned) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                // the next sweep after this process exits deletes it
            }
        }
    }

    @Override
    public String toString() {
        return path.getFileName() + " (" + kind + ", " + length + (owned ? ", created here" : ", mapped") + ")";
    }
}
