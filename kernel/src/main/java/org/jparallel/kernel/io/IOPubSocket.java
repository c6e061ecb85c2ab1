package org.jparallel.kernel.io;

import org.dflib.jjava.jupyter.channels.JupyterSocket;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.Message;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/**
 * The kernel's IOPub socket: an XPUB rather than jjava-jupyter's PUB, so that the kernel sees its subscribers come.
 *
 * <p>A SUB socket's subscription reaches the kernel a moment after it connected, and what the kernel publishes
 * before that is lost for it. A client that has just started the kernel connects all its channels at once and asks
 * for {@code kernel_info} until the reply and an IOPub message for it have both come (the Notebook server's "nudge",
 * jupyter_client's {@code wait_for_ready}): when the kernel answered its first request before the subscription
 * came, the client asked again, 0.2 to 0.5 s later (issue 15: one start in two, for ipykernel as for this kernel).
 * {@link #awaitSubscriber} lets the early {@code kernel_info} answer wait for the first subscription instead.
 *
 * <p>Every use holds this object's lock, as jjava-jupyter's {@code sendMessage} does: ZeroMQ sockets are not
 * thread-safe. Subscriptions read off the socket (the XPUB hands each new one to the application too) are only
 * counted; the socket itself applies them to what it sends.
 */
final class IOPubSocket extends JupyterSocket {

    private boolean subscribed;

    IOPubSocket(ZMQ.Context context, HMACGenerator hmac) {
        super(context, SocketType.XPUB, hmac, LoggerFactory.getLogger(IOPubSocket.class));
    }

    @Override
    public void bind(KernelConnectionProperties properties) {
        bind(formatAddress(properties.getTransport(), properties.getIp(), properties.getIopubPort()));
    }

    @Override
    public synchronized void sendMessage(Message<?> message) {
        readSubscriptions(); // else they pile up unread in the socket
        super.sendMessage(message);
    }

    /**
     * Waits until some client has subscribed, for at most {@code millis}; returns whether one has. Holds the lock
     * meanwhile: only the kernel's start, before anything else publishes, waits here.
     */
    synchronized boolean awaitSubscriber(long millis) {
        readSubscriptions();
        if (subscribed || closed) {
            return subscribed;
        }
        long deadline = System.nanoTime() + millis * 1_000_000;
        ZMQ.Poller poller = ctx.poller(1);
        try {
            poller.register(this, ZMQ.Poller.POLLIN);
            long left;
            while (!subscribed && (left = (deadline - System.nanoTime()) / 1_000_000) > 0) {
                if (poller.poll(left) > 0) {
                    readSubscriptions();
                }
            }
        } finally {
            poller.close();
        }
        return subscribed;
    }

    @Override
    public synchronized void close() {
        super.close();
    }

    /** Reads what subscriptions and unsubscriptions have come: a frame of 1 (subscribe) or 0, then the topic. */
    private void readSubscriptions() {
        byte[] frame;
        while (!closed && (frame = recv(ZMQ.DONTWAIT)) != null) {
            if (frame.length > 0 && frame[0] == 1) {
                subscribed = true;
            }
        }
    }
}
