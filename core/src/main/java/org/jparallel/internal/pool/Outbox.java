package org.jparallel.internal.pool;

import org.jparallel.internal.wire.Message;

/**
 * Where the {@link Dispatcher}'s messages go: "send this message to the worker with this peer id". A pool's
 * outbox is its {@code WireServer}, which queues what a socket cannot take at once, so sending never blocks.
 */
interface Outbox {

    void send(int peer, Message message);
}
