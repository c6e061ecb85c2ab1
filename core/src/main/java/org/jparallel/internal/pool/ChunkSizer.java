package org.jparallel.internal.pool;

/**
 * How many elements go into each task. A fixed size when the caller chose one; for an input of known
 * length, Python's rule (length / (4 × workers), rounded up); for a lazy input, chunks that grow with
 * the number of elements read so far, up to 1024, so a short input is spread over every worker and a
 * long one is not slowed by per-task overhead.
 */
final class ChunkSizer {

    private static final int LAZY_MAX = 1024;

    private final int fixed;
    private final int workers;

    private ChunkSizer(int fixed, int workers) {
        this.fixed = fixed;
        this.workers = workers;
    }

    static ChunkSizer fixed(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("chunk size must be at least 1, not " + size);
        }
        return new ChunkSizer(size, 0);
    }

    static ChunkSizer forLength(long length, int workers) {
        long size = (length + 4L * workers - 1) / (4L * workers);
        return new ChunkSizer((int) Math.max(1, Math.min(Integer.MAX_VALUE, size)), 0);
    }

    static ChunkSizer lazy(int workers) {
        return new ChunkSizer(0, workers);
    }

    /** The size of the next chunk, given how many elements were read so far. */
    int next(long readSoFar) {
        if (fixed > 0) {
            return fixed;
        }
        return (int) Math.max(1, Math.min(LAZY_MAX, readSoFar / (4L * workers)));
    }
}
