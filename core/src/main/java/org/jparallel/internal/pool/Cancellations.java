package org.jparallel.internal.pool;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * Why a stopped run or call was stopped. A future completed with a {@link CancellationException} that says
 * why ("timed out after 0.5 s: …") rethrows it from {@link CompletableFuture#get()} on JDK 17; since JDK 23 it
 * throws a new one, whose message is just "get", with the original as its cause.
 */
public final class Cancellations {

    private Cancellations() {
    }

    /** The exception that says why: {@code thrown}'s cause if that is the one the future was completed with. */
    public static CancellationException why(CancellationException thrown) {
        return thrown.getCause() instanceof CancellationException original ? original : thrown;
    }
}
