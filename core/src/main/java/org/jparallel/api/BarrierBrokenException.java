package org.jparallel.api;

/**
 * A {@link SharedBarrier} is broken (Python's {@code BrokenBarrierError}): a party's wait timed out or was
 * interrupted, a waiting party's process died, {@link SharedBarrier#abort()} or {@link SharedBarrier#reset()}
 * was called while this party waited. Unchecked, so that it passes through pool tasks and lambdas; the
 * message says what this party saw. {@link SharedBarrier#reset()} makes the barrier usable again.
 */
public class BarrierBrokenException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A broken barrier, described by {@code message}. */
    public BarrierBrokenException(String message) {
        super(message);
    }
}
