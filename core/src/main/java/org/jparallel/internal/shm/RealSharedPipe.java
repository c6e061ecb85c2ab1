package org.jparallel.internal.shm;

import org.jparallel.api.SharedConnection;
import org.jparallel.api.SharedObject;
import org.jparallel.api.SharedPipe;

/** A {@link SharedPipe}: a segment with one ring per direction, and its two ends. */
final class RealSharedPipe<E> extends RealSharedChannel implements SharedPipe<E> {

    final RealSharedConnection<E> first;
    final RealSharedConnection<E> second;

    RealSharedPipe(Segment segment, ClassLoader loader) {
        super(segment, loader);
        this.first = new RealSharedConnection<>(segment, 1, loader);
        this.second = new RealSharedConnection<>(segment, 2, loader);
    }

    @Override
    public Class<? extends SharedObject> publicType() {
        return SharedPipe.class;
    }

    @Override
    String noun() {
        return "pipe";
    }

    @Override
    public SharedConnection<E> first() {
        checkUsable();
        return first;
    }

    @Override
    public SharedConnection<E> second() {
        checkUsable();
        return second;
    }

    @Override
    public boolean isDuplex() {
        return first.canSend();
    }

    @Override
    public String toString() {
        return "SharedPipe(" + (isDuplex() ? "duplex" : "one-way") + (isClosed() ? ", closed)" : ")");
    }
}
