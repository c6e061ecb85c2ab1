package org.jparallel.internal.code;

/**
 * The cancellation flag that instrumented snippet code polls.
 *
 * <p>{@link StopCheckWeaver} inserts a call to {@link #check()} at the start of every snippet method
 * and before every backward jump, so a running loop notices a stop request within one iteration,
 * on every JDK, without {@code Thread.stop}. The flag is process-wide: raising it stops every thread
 * running snippet code until {@link #clear()} is called when the next cell starts.
 */
public final class CellStop {

    private static volatile boolean requested;

    private CellStop() {
    }

    /** Called by instrumented code; throws when a stop was requested. */
    public static void check() {
        if (requested) {
            throw new CellStoppedError();
        }
    }

    /** Asks every thread running snippet code to stop at its next check. */
    public static void request() {
        requested = true;
    }

    /** Lets snippet code run again. */
    public static void clear() {
        requested = false;
    }

    /** Whether a stop was requested and not yet cleared. */
    public static boolean isRequested() {
        return requested;
    }
}
