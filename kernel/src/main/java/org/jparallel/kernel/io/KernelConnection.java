package org.jparallel.kernel.io;

import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.JupyterSocket;
import org.dflib.jjava.jupyter.channels.ShellChannel;
import org.dflib.jjava.jupyter.channels.ShellHandler;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageContext;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.publish.PublishStatus;
import org.dflib.jjava.jupyter.messages.request.KernelInfoRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZMQ;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The kernel's Jupyter connection: jjava-jupyter's wire protocol, with shell and control channels
 * that wake on each message instead of polling every 50 ms, so a request is answered as soon as it
 * arrives. Each channel's socket is used and closed by its own thread only.
 *
 * <p>The channels may be served before the kernel is ready ({@link #answerKernelInfoEarly}): then only
 * {@code kernel_info_request}s are answered, and any other request waits, in order, until {@link #connect()}.
 * The kernel's first kernel_info answer, early or not, waits until a client has subscribed to IOPub
 * ({@link IOPubSocket}), so that the status messages around it reach the client that asked.
 *
 * <p>IOPub is the kernel's own {@link IOPubSocket}, not jjava-jupyter's, which is never bound: replies publish
 * through it ({@link #prepareReplyEnv}), and so must comms ({@link #publisher()}).
 */
public final class KernelConnection extends JupyterConnection {

    private static final Logger LOG = LoggerFactory.getLogger(KernelConnection.class);
    private static final int POLL_MS = 200;
    /** How long closing waits for a channel thread still busy with a request (a cell that will not stop). */
    private static final long JOIN_MS = 3000;
    /**
     * How long the first kernel_info answer waits for an IOPub subscriber: a client's subscription comes within
     * milliseconds of its request; one that never subscribes is answered after this, once.
     */
    private static final long SUBSCRIBER_WAIT_MS = 2000;

    private final KernelConnectionProperties properties;
    private final ZMQ.Context requestContext = ZMQ.context(1);
    private final Channel shellChannel;
    private final Channel controlChannel;
    private final IOPubSocket publisher;
    /** Whether a kernel_info answer has waited for an IOPub subscriber (the kernel's first one does, once). */
    private volatile boolean waitedForSubscriber;
    /** Counted down by {@link #connect()}: from then on every handler is set. */
    private final CountDownLatch ready = new CountDownLatch(1);
    /** Answers kernel_info requests that come before {@link #connect()}, or null. */
    private volatile ShellHandler<KernelInfoRequest> earlyKernelInfo;
    private boolean serving;

    public KernelConnection(KernelConnectionProperties properties)
            throws NoSuchAlgorithmException, InvalidKeyException {
        super(properties);
        this.properties = properties;
        // JeroMQ prints what it recovers from on System.err, which is the running cell's stream here
        requestContext.setNotificationExceptionHandler(
                (thread, e) -> LOG.debug("ZeroMQ recovered from an error on {}: {}", thread.getName(), e.toString()));
        HMACGenerator hmac = properties.createHMACGenerator();
        this.shellChannel = new Channel(requestContext, hmac, false, this);
        this.controlChannel = new Channel(requestContext, hmac, true, this);
        this.publisher = new IOPubSocket(requestContext, hmac);
    }

    /** The socket the kernel publishes on (IOPub), for what publishes outside a reply (comms). */
    public JupyterSocket publisher() {
        return publisher;
    }

    @Override
    public ShellReplyEnvironment prepareReplyEnv(ShellChannel channel, MessageContext context) {
        return new ShellReplyEnvironment(channel, stdin, publisher, context) {
        };
    }

    /**
     * Binds every socket and publishes the {@code starting} status; requests that come wait in their sockets
     * until the channels are served.
     */
    private void bind() {
        publisher.bind(properties);
        stdin.bind(properties);
        heartbeat.bind(properties);
        publisher.sendMessage(new Message<>(null, PublishStatus.MESSAGE_TYPE, PublishStatus.STARTING));
        shellChannel.bind(properties, properties.getShellPort());
        controlChannel.bind(properties, properties.getControlPort());
    }

    /**
     * Binds the sockets and answers {@code kernel_info_request}s from now on with {@code handler}, before the kernel
     * is ready; other requests wait for {@link #connect()}. Front ends wait for that answer before they send a cell:
     * with it, they connect and send the first cell while JShell starts.
     */
    public synchronized void answerKernelInfoEarly(ShellHandler<KernelInfoRequest> handler) {
        earlyKernelInfo = handler;
        serve();
    }

    /**
     * Binds the sockets unless {@link #answerKernelInfoEarly} did, and answers every request from now on with the
     * handlers set.
     */
    @Override
    public synchronized void connect() {
        serve();
        ready.countDown();
    }

    private void serve() {
        if (!serving) {
            serving = true;
            bind();
            shellChannel.serve("jparallel-shell");
            controlChannel.serve("jparallel-control");
        }
    }

    /**
     * The handler for a request of this type: before {@link #connect()}, the early kernel_info handler, or for any
     * other type the one set once connected (waiting until then); null when the channel stopped while waiting.
     */
    private ShellHandler<?> handlerFor(MessageType<?> type, Channel channel) throws InterruptedException {
        if (MessageType.KERNEL_INFO_REQUEST.equals(type) && !waitedForSubscriber) {
            waitedForSubscriber = true; // the first one, early or not: a client's first request, as it connects
            publisher.awaitSubscriber(SUBSCRIBER_WAIT_MS);
        }
        if (ready.getCount() > 0) {
            ShellHandler<KernelInfoRequest> early = earlyKernelInfo;
            if (early != null && MessageType.KERNEL_INFO_REQUEST.equals(type)) {
                return early;
            }
            while (!ready.await(POLL_MS, TimeUnit.MILLISECONDS)) {
                if (!channel.running) {
                    return null;
                }
            }
        }
        return getHandler(type);
    }

    @Override
    public void close() {
        shellChannel.stop();
        controlChannel.stop();
        shellChannel.await();
        controlChannel.await();
        super.close();
        publisher.close();
        requestContext.close();
    }

    @Override
    public void waitUntilClose() {
        shellChannel.await();
        controlChannel.await();
        super.waitUntilClose();
    }

    /** A ROUTER socket served by one thread that blocks in poll until a request comes. */
    private static final class Channel extends ShellChannel {
        private final KernelConnection connection;
        private volatile boolean running;
        private Thread thread;

        Channel(ZMQ.Context context, HMACGenerator hmac, boolean control, KernelConnection connection) {
            super(context, hmac, control, connection);
            this.connection = connection;
        }

        void bind(KernelConnectionProperties props, int port) {
            super.bind(props.getTransport() + "://" + props.getIp() + ":" + port);
        }

        void serve(String name) {
            ZMQ.Poller poller = ctx.poller(1);
            poller.register(this, ZMQ.Poller.POLLIN);
            running = true;
            thread = new Thread(() -> serve(poller), name);
            // served from before the kernel is ready: a start-up that fails must still end the JVM (the kernel's
            // main thread waits for these threads once it is connected)
            thread.setDaemon(true);
            thread.start();
        }

        private void serve(ZMQ.Poller poller) {
            while (running) {
                if (poller.poll(POLL_MS) > 0 && running) {
                    handle(readMessage());
                }
            }
            poller.close();
            close();
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private void handle(Message<?> message) {
            ShellHandler handler;
            try {
                handler = connection.handlerFor(message.getHeader().getType(), this);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
                return;
            }
            if (handler == null) {
                if (!running) {
                    return; // closed before the kernel was ready
                }
                LOG.warn("no handler for {}", message.getHeader().getType().getName());
                return;
            }
            ShellReplyEnvironment env = connection.prepareReplyEnv(this, message);
            try {
                handler.handle(env, message);
            } catch (Exception e) {
                LOG.warn("handling {} failed", message.getHeader().getType().getName(), e);
            } finally {
                env.resolveDeferrals();
            }
            if (env.isMarkedForShutdown()) {
                running = false;
                new Thread(connection::close, "jparallel-shutdown").start();
            }
        }

        void stop() {
            running = false;
        }

        void await() {
            Thread t = thread;
            if (t != null && t != Thread.currentThread()) {
                try {
                    t.join(JOIN_MS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
