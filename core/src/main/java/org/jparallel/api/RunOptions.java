package org.jparallel.api;

import java.time.Duration;

/**
 * How a {@link PoolRun} runs: its chunk size, whether it stops at its first failure, how long it may take.
 * Immutable: each setter returns new options. Start from {@link #defaults()}:
 *
 * <pre>{@code
 * PoolRun<Integer> run = pool.submit(x -> slow(x), xs, RunOptions.defaults().failFast(true).timeout(Duration.ofMinutes(5)));
 * }</pre>
 */
public final class RunOptions {

    private static final RunOptions DEFAULTS = new RunOptions(0, false, null);

    private final int chunkSize;
    private final boolean failFast;
    private final Duration timeout;

    private RunOptions(int chunkSize, boolean failFast, Duration timeout) {
        this.chunkSize = chunkSize;
        this.failFast = failFast;
        this.timeout = timeout;
    }

    /** The pool chooses the chunk size; every element runs; no timeout. */
    public static RunOptions defaults() {
        return DEFAULTS;
    }

    /**
     * These options with {@code size} elements per task; 0 (the default) lets the pool choose: chunks that
     * start small and shrink toward the end of the input, so that the workers finish together
     * ({@code docs/runs.md}).
     *
     * @throws IllegalArgumentException if {@code size} is negative
     */
    public RunOptions chunkSize(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("the chunk size is a positive number of elements, or 0 to let the pool choose, not "
                    + size);
        }
        return new RunOptions(size, failFast, timeout);
    }

    /**
     * These options, stopping the run at its first failed element ({@code true}): elements not started are
     * cancelled, as with Python's {@code concurrent.futures.FIRST_EXCEPTION}. By default every element runs.
     */
    public RunOptions failFast(boolean failFast) {
        return new RunOptions(chunkSize, failFast, timeout);
    }

    /**
     * These options with a timeout, counted from the run's start, reading its input included: the run is then
     * stopped as by {@link PoolRun#cancel()}, and {@link PoolRun#get()} throws
     * {@link java.util.concurrent.CancellationException} ("timed out after …"). Null for none, the default.
     *
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public RunOptions timeout(Duration timeout) {
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("a timeout is a positive duration, or null for none, not " + timeout);
        }
        return new RunOptions(chunkSize, failFast, timeout);
    }

    /** Elements per task; 0: the pool chooses. */
    public int chunkSize() {
        return chunkSize;
    }

    /** Whether the run stops at its first failure. */
    public boolean isFailFast() {
        return failFast;
    }

    /** The timeout, or null for none. */
    public Duration timeout() {
        return timeout;
    }

    @Override
    public String toString() {
        return "RunOptions[chunkSize=" + chunkSize + ", failFast=" + failFast + ", timeout=" + timeout + "]";
    }
}
