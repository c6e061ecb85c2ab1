package org.jparallel.internal.shm;

import org.jparallel.api.SharedEvent;
import org.jparallel.api.SharedObject;

import java.time.Duration;

/**
 * A {@link SharedEvent}: one word at {@link SyncLayout#EVENT_AT}, {@code sets << 1 | flag}. Raising the
 * flag also counts the set, so a waiter returns once the flag is up or the count has moved since it
 * started — a set followed at once by a clear still wakes it.
 */
final class RealSharedEvent extends RealShared implements SharedEvent {

    RealSharedEvent(Segment segment) {
        super(segment);
    }

    @Override
    public Class<? extends SharedObject> publicType() {
        return SharedEvent.class;
    }

    private long state() {
        return (long) Access.LONG.getVolatile(buffer, SyncLayout.EVENT_AT);
    }

    @Override
    public void set() {
        checkOpen();
        long seen = state();
        while ((seen & 1) == 0) {
            long witness = (long) Access.LONG.compareAndExchange(buffer, SyncLayout.EVENT_AT, seen, seen + 3);
            if (witness == seen) {
                return;
            }
            seen = witness;
        }
    }

    @Override
    public void clear() {
        checkOpen();
        long seen = state();
        while ((seen & 1) != 0) {
            long witness = (long) Access.LONG.compareAndExchange(buffer, SyncLayout.EVENT_AT, seen, seen - 1);
            if (witness == seen) {
                return;
            }
            seen = witness;
        }
    }

    @Override
    public boolean isSet() {
        checkOpen();
        return (state() & 1) != 0;
    }

    private boolean await(long timeoutNanos) {
        checkOpen();
        long sets = state() >>> 1;
        return Backoff.until(timeoutNanos, () -> "the event to be set", () -> {
            long now = state();
            return (now & 1) != 0 || now >>> 1 != sets;
        });
    }

    @Override
    public void await() {
        await(-1);
    }

    @Override
    public boolean await(Duration timeout) {
        return await(Backoff.nanos(timeout));
    }

    @Override
    public String toString() {
        return "SharedEvent(" + (isClosed() ? "closed" : (state() & 1) != 0 ? "set" : "clear") + ")";
    }
}
