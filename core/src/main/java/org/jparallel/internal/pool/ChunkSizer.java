package org.jparallel.internal.pool;

/**
 * How many elements go into each task of one input; one sizer per input, asked for each chunk in turn.
 *
 * <ul>
 * <li>A fixed size when the caller chose one.</li>
 * <li>For an input of known length, <b>guided self-scheduling</b>: each chunk holds the elements not yet in a
 * chunk divided by twice the number of workers (a worker holds two tasks: the one it runs and the next), so
 * chunks shrink toward the end and the workers finish together: the last chunks are small, and no worker
 * sits idle for long while another runs a big one. Chunks are never larger than Python's (a quarter of each
 * worker's share), so the first results come as early as there, and never smaller than
 * 1/{@value #TAIL_CHUNKS_PER_WORKER} of a worker's share, so the number of tasks stays bounded: every task
 * costs a round trip, and tiny elements pay for each (100,000 elements on 2 workers: 16 tasks, Python's 8;
 * a floor of one element with first chunks of 1, 2, 4 … made 52, and the map took 15 ms instead of 9).
 * Python's rule alone made elements of growing cost (20 to 80 ms, 1,000 of them on 2 workers) leave one
 * worker idle 3.7 s at the end; these chunks, 0.8 s. Workers report progress inside a chunk, so big chunks
 * do not hold a run's count still.</li>
 * <li>For a lazy input (length unknown), chunks that grow with the number of elements read so far, up to
 * 1024, so a short input is spread over every worker and a long one is not slowed by per-task overhead.</li>
 * </ul>
 */
final class ChunkSizer {

    private static final int LAZY_MAX = 1024;
    /** Tasks a worker holds while its elements are long: the one it runs and one queued (see {@link Dispatcher}). */
    private static final int HELD_PER_WORKER = Dispatcher.MIN_TASKS_PER_WORKER;
    /** A known input's chunks hold at least a worker's share divided by this. */
    static final int TAIL_CHUNKS_PER_WORKER = 32;
    /** A known input's chunks hold at most a worker's share divided by this (Python's rule), so first results come early. */
    static final int FIRST_CHUNKS_PER_WORKER = 4;

    private final int fixed;
    private final int workers;
    /** The input's length, or -1 if unknown. */
    private final long length;

    private ChunkSizer(int fixed, int workers, long length) {
        this.fixed = fixed;
        this.workers = workers;
        this.length = length;
    }

    static ChunkSizer fixed(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("chunk size must be at least 1, not " + size);
        }
        return new ChunkSizer(size, 0, -1);
    }

    /** Guided self-scheduling over {@code length} elements and {@code workers} workers (see the class comment). */
    static ChunkSizer forLength(long length, int workers) {
        return new ChunkSizer(0, workers, length);
    }

    static ChunkSizer lazy(int workers) {
        return new ChunkSizer(0, workers, -1);
    }

    /** The size of the next chunk, given how many elements were put in chunks so far. */
    int next(long readSoFar) {
        if (fixed > 0) {
            return fixed;
        }
        if (length < 0) {
            return (int) Math.max(1, Math.min(LAZY_MAX, readSoFar / (4L * workers)));
        }
        long left = Math.max(1, length - readSoFar);
        long guided = ceilDiv(left, (long) HELD_PER_WORKER * workers);
        long floor = ceilDiv(length, (long) TAIL_CHUNKS_PER_WORKER * workers);
        long ceiling = ceilDiv(length, (long) FIRST_CHUNKS_PER_WORKER * workers);
        return (int) Math.min(Integer.MAX_VALUE, Math.min(ceiling, Math.max(guided, floor)));
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
