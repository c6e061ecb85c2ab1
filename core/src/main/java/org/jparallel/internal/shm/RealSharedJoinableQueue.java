package org.jparallel.internal.shm;

import org.jparallel.api.SharedJoinableQueue;
import org.jparallel.api.SharedObject;

import java.time.Duration;

/**
 * A {@link SharedJoinableQueue}: a {@link RealSharedQueue} whose header counts unfinished tasks. A put
 * counts its task under the producer lock before the item becomes visible, so a consumer can never mark
 * it done before it is counted.
 */
final class RealSharedJoinableQueue<E> extends RealSharedQueue<E> implements SharedJoinableQueue<E> {

    private final Runnable countTask = () -> Access.LONG.getAndAdd(buffer, ChannelLayout.UNFINISHED_AT, 1L);

    RealSharedJoinableQueue(Segment segment, ClassLoader loader) {
        super(segment, loader);
    }

    @Override
    public Class<? extends SharedObject> publicType() {
        return SharedJoinableQueue.class;
    }

    @Override
    Runnable beforePublish() {
        return countTask;
    }

    @Override
    public void taskDone() {
        checkUsable();
        while (true) {
            long unfinished = unfinished();
            if (unfinished <= 0) {
                throw new IllegalStateException("taskDone() was called more times than items were put into the"
                        + " queue: call it once per item taken, after its work is done");
            }
            if (Access.LONG.compareAndSet(buffer, ChannelLayout.UNFINISHED_AT, unfinished, unfinished - 1)) {
                return;
            }
        }
    }

    @Override
    public void join() {
        awaitDone(-1);
    }

    @Override
    public boolean join(Duration timeout) {
        return awaitDone(Backoff.nanos(timeout));
    }

    private boolean awaitDone(long timeoutNanos) {
        checkUsable();
        return Backoff.until(timeoutNanos, () -> "every task of a shared joinable queue", () -> {
            checkUsable();
            return unfinished() == 0;
        });
    }

    @Override
    public long unfinishedTasks() {
        checkUsable();
        return unfinished();
    }

    private long unfinished() {
        return (long) Access.LONG.getVolatile(buffer, ChannelLayout.UNFINISHED_AT);
    }
}
