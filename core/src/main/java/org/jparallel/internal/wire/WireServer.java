package org.jparallel.internal.wire;

import org.jparallel.internal.codec.CodecException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The serving end of the wire: a TCP server socket on a random port of 127.0.0.1 (and, for peers on
 * other hosts, a second one speaking TLS 1.3 on an address the caller chose: {@link TlsListener}), speaking ZMTP 3.0
 * as a ROUTER to every peer that connects ({@link WireClient}), all served by one selector thread
 * that is never interrupted. A pool's kernel side and a {@code WorkerProcess}'s exchange
 * {@link Message}s with their workers, which claim their peer ids; a manager exchanges raw frames with
 * its clients ({@link #forClients}), which the server numbers itself.
 *
 * <p>A connection carries messages only after its peer proved it holds the server's secret
 * ({@link PeerAuthentication}); a peer that speaks something else, answers the challenge wrongly,
 * sends a message or a frame over {@value #HANDSHAKE_FRAME_BYTES} bytes before answering, or takes
 * longer than {@value #HANDSHAKE_MS} ms is dropped and logged, and nothing is allocated for it beyond
 * its read buffer. Accepted messages are handed to the {@link Listener} (frames to the
 * {@link FrameListener}) on the selector thread, in the order each peer sent them.
 *
 * <p>{@link #send} never blocks, so any thread may call it, under any lock, even one about to be
 * interrupted: it writes on the caller's thread as much as the socket takes now (a non-blocking write is
 * not interruptible), and the selector thread writes the rest when the socket can take it. A message
 * thus reaches its worker without a thread hand-off in the kernel, and messages to one peer arrive in
 * the order they were sent. What the selector thread itself sends while it handles what arrived (the
 * next tasks, as results come in) is written once per pass and peer, in one system call.
 */
public final class WireServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WireServer.class);
    /** How long a connecting peer may take to authenticate. */
    private static final long HANDSHAKE_MS = 5000;
    /** The largest frame accepted before a peer authenticated: a READY command or an answer. */
    private static final int HANDSHAKE_FRAME_BYTES = 1024;
    private static final int READ_BUFFER_BYTES = 64 * 1024;
    private static final long CLOSE_WAIT_MS = 2000;

    /** Receives accepted messages, on the selector thread; must not block. */
    public interface Listener {
        void onMessage(int peer, Message message);

        /** An authenticated peer's connection ended, after every message it sent was handed over. */
        default void onClosed(int peer) {
        }
    }

    /**
     * Receives the frames of authenticated peers, on the selector thread; must not block. A frame it
     * cannot read ({@link UnreadableFrameException}) ends that peer's connection.
     */
    public interface FrameListener {
        void onFrame(int peer, byte[] body);

        /**
         * A frame held by the first {@code length} bytes of {@code array}, which the server reuses for the next
         * frame if {@link #copiesFrames}.
         */
        default void onFrame(int peer, byte[] array, int length) {
            onFrame(peer, length == array.length ? array : Arrays.copyOf(array, length));
        }

        /** Whether {@link #onFrame(int, byte[], int)} keeps nothing of the array, so that the server may reuse it. */
        default boolean copiesFrames() {
            return false;
        }

        /** An authenticated peer's connection ended, after every frame it sent was handed over. */
        default void onClosed(int peer) {
        }
    }

    private final byte[] secret;
    private final long handshakeMillis;
    /** Null for a server of frames. */
    private final MessageCodec codec;
    private final FrameListener frames;
    /** Whether the server numbers its peers (from 1, as they authenticate) rather than taking the ids they claim. */
    private final boolean numbersPeers;
    /** The number of the last peer numbered (selector thread only). */
    private int lastPeer;
    private final Selector selector;
    private final ServerSocketChannel server;
    private final int port;
    /** Where peers on other hosts connect, through TLS: none, or one per address chosen. */
    private final List<ServerSocketChannel> remoteServers;
    private final List<InetSocketAddress> remoteAddresses;
    private final Map<Integer, Connection> peers = new ConcurrentHashMap<>();
    private final List<Connection> handshaking = new ArrayList<>();
    /** Connections the selector thread sent to during its current pass (selector thread only). */
    private final Set<Connection> corked = new LinkedHashSet<>();
    /** Peers whose connection ended and whom the listener has not been told of yet. */
    private final Queue<Integer> closedPeers = new ConcurrentLinkedQueue<>();
    private final AtomicLong refused = new AtomicLong();
    private final Thread thread;
    private volatile boolean closing;

    /** Binds the server socket on 127.0.0.1 and starts the selector thread; peers claim their ids. */
    public WireServer(byte[] secret, MessageCodec codec, Listener listener, String threadName) throws IOException {
        this(secret, codec, listener, threadName, HANDSHAKE_MS);
    }

    /**
     * Binds the server socket on 127.0.0.1 for plain peers and, if {@code remote} is not null, a second one
     * for peers on other hosts, which must speak TLS 1.3 with a certificate of the pool's authority;
     * starts the selector thread. Peers claim their ids.
     */
    public WireServer(byte[] secret, MessageCodec codec, Listener listener, String threadName, TlsListener remote)
            throws IOException {
        this(secret, codec, messages(codec, listener), false, threadName, HANDSHAKE_MS, listOf(remote));
    }

    /**
     * Like {@link #WireServer(byte[], MessageCodec, Listener, String, TlsListener)} with a TLS listener on each of
     * several addresses: hosts on different links reach this machine at different addresses of its own.
     */
    public WireServer(byte[] secret, MessageCodec codec, Listener listener, String threadName, List<TlsListener> remotes)
            throws IOException {
        this(secret, codec, messages(codec, listener), false, threadName, HANDSHAKE_MS, remotes);
    }

    private static List<TlsListener> listOf(TlsListener remote) {
        return remote == null ? List.of() : List.of(remote);
    }

    /** A server that gives connecting peers {@code handshakeMillis} to authenticate. */
    WireServer(byte[] secret, MessageCodec codec, Listener listener, String threadName, long handshakeMillis,
               TlsListener remote) throws IOException {
        this(secret, codec, messages(codec, listener), false, threadName, handshakeMillis, listOf(remote));
    }

    /** A server that gives connecting peers {@code handshakeMillis} to authenticate. */
    WireServer(byte[] secret, MessageCodec codec, Listener listener, String threadName, long handshakeMillis)
            throws IOException {
        this(secret, codec, listener, threadName, handshakeMillis, null);
    }

    /**
     * Where peers on other hosts connect, and the server's TLS credentials: an address of this machine
     * that the user chose (never the wildcard by default), port 0 for any free port.
     */
    public record TlsListener(InetSocketAddress address, TlsIdentity identity) {
    }

    /**
     * A server of raw frames, whose peers are numbered by the server as they authenticate (whatever id
     * they claim), so any number of connections from any number of processes can share one secret.
     * Send with {@link #sendFrame}.
     */
    public static WireServer forClients(byte[] secret, FrameListener frames, String threadName) throws IOException {
        return forClients(secret, frames, threadName, List.of());
    }

    /** A server of raw frames that peers on other hosts may also reach, over TLS ({@code remote}, may be null). */
    public static WireServer forClients(byte[] secret, FrameListener frames, String threadName, TlsListener remote)
            throws IOException {
        return forClients(secret, frames, threadName, listOf(remote));
    }

    /** A server of raw frames that peers on other hosts may also reach, over TLS, at each of {@code remotes}. */
    public static WireServer forClients(byte[] secret, FrameListener frames, String threadName,
                                        List<TlsListener> remotes) throws IOException {
        return new WireServer(secret, null, frames, true, threadName, HANDSHAKE_MS, remotes);
    }

    private WireServer(byte[] secret, MessageCodec codec, FrameListener frames, boolean numbersPeers, String threadName,
                       long handshakeMillis, List<TlsListener> remotes) throws IOException {
        this.handshakeMillis = handshakeMillis;
        if (secret.length < 16) {
            throw new IllegalArgumentException("a secret needs at least 16 bytes");
        }
        this.secret = secret.clone();
        this.codec = codec;
        this.frames = frames;
        this.numbersPeers = numbersPeers;
        this.selector = Selector.open();
        this.server = ServerSocketChannel.open();
        List<ServerSocketChannel> tls = new ArrayList<>();
        List<InetSocketAddress> tlsAddresses = new ArrayList<>();
        try {
            listen(server, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null);
            for (TlsListener remote : remotes) {
                ServerSocketChannel channel = ServerSocketChannel.open();
                tls.add(channel);
                listen(channel, remote.address(), remote.identity());
                tlsAddresses.add((InetSocketAddress) channel.getLocalAddress());
            }
        } catch (IOException e) {
            closeQuietly(server);
            tls.forEach(WireServer::closeQuietly);
            selector.close();
            throw e;
        }
        this.port = ((InetSocketAddress) server.getLocalAddress()).getPort();
        this.remoteServers = List.copyOf(tls);
        this.remoteAddresses = List.copyOf(tlsAddresses);
        this.thread = ServiceThreads.daemon(this::run, threadName + "-" + port);
        this.thread.start();
    }

    /** The frames of a message server: each decoded and handed to {@code listener}. */
    private static FrameListener messages(MessageCodec codec, Listener listener) {
        return new FrameListener() {
            @Override
            public void onFrame(int peer, byte[] body) {
                onFrame(peer, body, body.length);
            }

            @Override
            public boolean copiesFrames() {
                return true;
            }

            @Override
            public void onFrame(int peer, byte[] array, int length) {
                Message message;
                try {
                    message = codec.decode(array, length);
                } catch (CodecException e) {
                    // dropping it could leave a task waiting for ever for the answer it held
                    throw new UnreadableFrameException("peer " + peer + " sent a frame that is not a message ("
                            + e.getMessage() + ")");
                }
                try {
                    listener.onMessage(peer, message);
                } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
                    LOG.error("handling {} from peer {} failed", message.getClass().getSimpleName(), peer, e);
                }
            }

            @Override
            public void onClosed(int peer) {
                listener.onClosed(peer);
            }
        };
    }

    /** A listening socket; accepted connections speak TLS with {@code tls}'s credentials if it is not null. */
    private void listen(ServerSocketChannel channel, InetSocketAddress address, TlsIdentity tls) throws IOException {
        channel.bind(address, 50);
        channel.configureBlocking(false);
        channel.register(selector, SelectionKey.OP_ACCEPT, tls);
    }

    /** The loopback port peers connect to. */
    public int port() {
        return port;
    }

    /** Where peers on other hosts connect through TLS (the first such address), or null if they cannot. */
    public InetSocketAddress remoteAddress() {
        return remoteAddresses.isEmpty() ? null : remoteAddresses.get(0);
    }

    /** Every address where peers on other hosts connect through TLS, in the order they were asked for. */
    public List<InetSocketAddress> remoteAddresses() {
        return remoteAddresses;
    }

    /**
     * Sends a message to an authenticated peer; never blocks. A peer that is not connected does not get it. A
     * large binary field goes out from its own array, maybe after this returns: the caller must not change it.
     */
    public void send(int peer, Message message) {
        if (peers.containsKey(peer)) {
            sendParts(peer, codec.encodeParts(message));
        } else {
            LOG.debug("dropped {} for peer {}, which is not connected", message.getClass().getSimpleName(), peer);
        }
    }

    /** Sends one frame to an authenticated peer; never blocks. A peer that is not connected does not get it. */
    public void sendFrame(int peer, byte[] body) {
        sendParts(peer, new ByteBuffer[] {ByteBuffer.wrap(body)});
    }

    /** Sends one frame made of {@code parts}, in one gathering write as far as the socket takes it. */
    private void sendParts(int peer, ByteBuffer[] parts) {
        Connection connection = peers.get(peer);
        long size = MessageCodec.size(parts);
        if (connection == null) {
            LOG.debug("dropped a frame of {} bytes for peer {}, which is not connected", size, peer);
            return;
        }
        ByteBuffer[] frame = new ByteBuffer[1 + parts.length];
        frame[0] = Zmtp.header(0, size);
        System.arraycopy(parts, 0, frame, 1, parts.length);
        connection.write(frame);
    }

    /** Whether this peer is connected now (authenticated, and its connection has not ended). */
    public boolean connected(int peer) {
        return peers.containsKey(peer);
    }

    /** Closes the connection of a peer, dropping what it was not sent yet. */
    public void disconnect(int peer) {
        Connection connection = peers.remove(peer);
        if (connection != null) {
            connection.close();
        }
    }

    /** How many connections were refused so far: they broke the protocol or failed to authenticate. */
    public long refusedCount() {
        return refused.get();
    }

    /**
     * Stops accepting, writes what is still waiting to be sent (for at most two seconds), closes every
     * connection and waits for the selector thread. Idempotent.
     */
    @Override
    public void close() {
        closing = true;
        selector.wakeup();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(CLOSE_WAIT_MS + 500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---- the selector thread ----

    private void run() {
        long closeDeadline = 0;
        try {
            while (true) {
                if (closing) {
                    if (closeDeadline == 0) {
                        closeDeadline = System.currentTimeMillis() + CLOSE_WAIT_MS;
                        server.close();
                        for (ServerSocketChannel remote : remoteServers) {
                            remote.close();
                        }
                    }
                    if (peers.values().stream().noneMatch(Connection::hasBacklog)
                            || System.currentTimeMillis() >= closeDeadline) {
                        return;
                    }
                }
                selector.select(this::ready, waitMillis(closeDeadline));
                corked.forEach(Connection::flush);
                corked.clear();
                expireHandshakes();
                announceClosed();
            }
        } catch (IOException | ClosedSelectorException e) {
            LOG.error("the wire on 127.0.0.1:{} failed", port, e);
        } finally {
            for (SelectionKey key : selector.keys()) {
                if (key.attachment() instanceof Connection connection) {
                    connection.close();
                }
            }
            peers.clear();
            closeQuietly(server);
            remoteServers.forEach(WireServer::closeQuietly);
            closeQuietly(selector);
            announceClosed();
        }
    }

    /** Tells the listener, on the selector thread and holding no connection's lock, which peers are gone. */
    private void announceClosed() {
        Integer peer;
        while ((peer = closedPeers.poll()) != null) {
            try {
                frames.onClosed(peer);
            } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
                LOG.error("handling the end of peer {}'s connection failed", peer, e);
            }
        }
    }

    private long waitMillis(long closeDeadline) {
        long now = System.currentTimeMillis();
        long until = closeDeadline;
        for (Connection c : handshaking) {
            until = until == 0 ? c.deadline : Math.min(until, c.deadline);
        }
        return until == 0 ? 0 : Math.max(1, until - now);
    }

    private void ready(SelectionKey key) {
        if (key.attachment() instanceof Connection connection) {
            if (key.isValid() && key.isWritable()) {
                connection.flush();
            }
            if (key.isValid() && key.isReadable()) {
                connection.readable();
            }
        } else if (key.isValid() && key.isAcceptable()) {
            accept((ServerSocketChannel) key.channel(), (TlsIdentity) key.attachment());
        }
    }

    private void accept(ServerSocketChannel listener, TlsIdentity tls) {
        SocketChannel channel;
        try {
            channel = listener.accept();
            if (channel == null) {
                return;
            }
        } catch (IOException e) {
            if (!closing) {
                LOG.error("the wire on {} could not accept a connection", listener.socket().getLocalSocketAddress(), e);
            }
            return;
        }
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            Transport transport = tls == null ? Transport.plain(channel) : new TlsTransport(channel, tls.serverEngine());
            Connection connection = new Connection(channel, transport);
            connection.key = channel.register(selector, SelectionKey.OP_READ, connection);
            handshaking.add(connection);
            connection.greetWhenOpen();
        } catch (IOException e) {
            LOG.debug("a connection to {} failed as it was accepted: {}", listener.socket().getLocalSocketAddress(), e.toString());
            closeQuietly(channel);
        }
    }

    private void expireHandshakes() {
        long now = System.currentTimeMillis();
        for (Connection c : new ArrayList<>(handshaking)) {
            if (now >= c.deadline) {
                LOG.info("closed a connection from {} to {} that did not authenticate within {} ms", c.remote, c.local, handshakeMillis);
                c.close();
            }
        }
    }

    private void refuse(Connection connection, String why) {
        long count = refused.incrementAndGet();
        if (count <= 10 || Long.bitCount(count) == 1) {
            LOG.warn("the wire on {} refused a connection from {}: {} ({} refused so far)", connection.local, connection.remote,
                    why, count);
        }
        connection.close();
    }

    private static String address(SocketChannel channel, boolean local) {
        try {
            InetSocketAddress a = (InetSocketAddress) (local ? channel.getLocalAddress() : channel.getRemoteAddress());
            return a.getAddress().getHostAddress() + ":" + a.getPort();
        } catch (IOException e) {
            return "?";
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.debug("closing {}: {}", closeable, e.toString());
        }
    }

    /** Where a connection is in its handshake. */
    private enum Stage { GREETING, READY, ANSWER, OPEN }

    /** One peer's connection: read by the selector thread, written by any thread under its own lock. */
    private final class Connection {
        final SocketChannel channel;
        final Transport transport;
        /** The two ends, for the log: which listener (loopback or TLS), and where the peer came from. */
        final String local;
        final String remote;
        /** Whether this end's ZMTP greeting went out (for TLS, only once the TLS handshake finished). */
        boolean greeted;
        final byte[] challenge = PeerAuthentication.challenge();
        final long deadline = System.currentTimeMillis() + handshakeMillis;
        SelectionKey key;
        Stage stage = Stage.GREETING;
        int peer = -1;
        /** Bytes read and not yet parsed, in read mode between calls. */
        ByteBuffer in = ByteBuffer.allocate(READ_BUFFER_BYTES).flip();
        /** The body of a frame larger than the read buffer while it arrives, and its flags. */
        ByteBuffer largeBody;
        /** Where large frames arrive when the listener copies out what it keeps. */
        final ReusedFrameArray reused = new ReusedFrameArray();
        int largeFlags;
        // guarded by this
        private final ArrayDeque<ByteBuffer> backlog = new ArrayDeque<>();
        private boolean closed;

        Connection(SocketChannel channel, Transport transport) {
            this.channel = channel;
            this.transport = transport;
            this.local = address(channel, true);
            this.remote = address(channel, false);
        }

        /** Sends the ZMTP greeting and READY once messages can flow. */
        void greetWhenOpen() {
            if (!greeted && transport.open()) {
                greeted = true;
                write(ByteBuffer.wrap(Zmtp.greeting()), ByteBuffer.wrap(Zmtp.frame(Zmtp.FLAG_COMMAND, Zmtp.ready("ROUTER"))));
            }
        }

        /** Writes what the socket takes now and leaves the rest to the selector thread. */
        synchronized void write(ByteBuffer... buffers) {
            if (closed) {
                return;
            }
            boolean onSelector = Thread.currentThread() == thread;
            try {
                if (backlog.isEmpty() && !onSelector) {
                    transport.write(buffers);
                }
                boolean left = transport.hasPendingOutput();
                for (ByteBuffer buffer : buffers) {
                    if (buffer.hasRemaining()) {
                        backlog.addLast(buffer);
                        left = true;
                    }
                }
                if (left && onSelector) {
                    corked.add(this); // written at the end of this pass, with whatever else it sends
                } else if (left) {
                    key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                    selector.wakeup();
                }
            } catch (IOException e) {
                lost(e);
            }
        }

        synchronized boolean hasBacklog() {
            return !backlog.isEmpty() || transport.hasPendingOutput();
        }

        /** On the selector thread: writes what waits, in one system call as far as the socket takes it. */
        synchronized void flush() {
            if (closed) {
                return;
            }
            try {
                transport.write(backlog.toArray(ByteBuffer[]::new));
                while (!backlog.isEmpty() && !backlog.peekFirst().hasRemaining()) {
                    backlog.removeFirst();
                }
                key.interestOps(backlog.isEmpty() && !transport.hasPendingOutput()
                        ? SelectionKey.OP_READ : SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            } catch (IOException e) {
                lost(e);
            }
        }

        /** On the selector thread: bytes arrived (for TLS, all it buffered is read before returning). */
        void readable() {
            try {
                do {
                    if (!readOnce()) {
                        return;
                    }
                } while (!closed && transport.hasBufferedInput());
                if (!closed && transport.hasPendingOutput()) { // a handshake message the socket did not take yet
                    synchronized (this) {
                        key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                    }
                }
            } catch (ZmtpConnection.ProtocolException e) {
                refuse(this, e.getMessage());
            } catch (IOException e) {
                lost(e);
            }
        }

        /** Reads and handles what is there; false if the connection ended. */
        private boolean readOnce() throws IOException {
            if (largeBody != null) {
                if (transport.read(largeBody) < 0) {
                    throw new EOFException("the peer closed the connection");
                }
                if (largeBody.hasRemaining()) {
                    return true;
                }
                ByteBuffer body = largeBody;
                largeBody = null;
                frame(largeFlags, body.array(), body.limit());
            }
            in.compact();
            int read = transport.read(in);
            in.flip();
            if (read < 0) {
                closedByPeer();
                return false;
            }
            greetWhenOpen();
            parse();
            return true;
        }

        private void parse() throws IOException {
            while (!closed) {
                if (stage == Stage.GREETING) {
                    if (in.remaining() < Zmtp.GREETING_BYTES) {
                        return;
                    }
                    byte[] greeting = new byte[Zmtp.GREETING_BYTES];
                    in.get(greeting);
                    Zmtp.checkGreeting(greeting);
                    stage = Stage.READY;
                    continue;
                }
                if (in.remaining() < 2) {
                    return;
                }
                int flags = in.get(in.position());
                int headerBytes = (flags & Zmtp.FLAG_LONG) != 0 ? 9 : 2;
                if (in.remaining() < headerBytes) {
                    return;
                }
                long size = headerBytes == 9 ? in.getLong(in.position() + 1) : in.get(in.position() + 1) & 0xFF;
                checkFrame(flags, size);
                if (in.remaining() - headerBytes >= size) {
                    in.position(in.position() + headerBytes);
                    byte[] body = new byte[(int) size];
                    in.get(body);
                    frame(flags, body, body.length);
                } else if (size > in.capacity() - headerBytes) {
                    in.position(in.position() + headerBytes);
                    largeBody = ByteBuffer.wrap(frames.copiesFrames() ? reused.atLeast((int) size) : new byte[(int) size],
                            0, (int) size).put(in);
                    largeFlags = flags;
                    return;
                } else {
                    return;
                }
            }
        }

        private void checkFrame(int flags, long size) throws ZmtpConnection.ProtocolException {
            if ((flags & Zmtp.FLAG_MORE) != 0) {
                throw new ZmtpConnection.ProtocolException("a multi-part message");
            }
            if (size < 0 || size > Integer.MAX_VALUE - 16 || (stage != Stage.OPEN && size > HANDSHAKE_FRAME_BYTES)) {
                throw new ZmtpConnection.ProtocolException("a frame of " + size + " bytes"
                        + (stage == Stage.OPEN ? "" : " before authenticating"));
            }
        }

        /** A frame held by the first {@code length} bytes of {@code body} (all of it, but for a large message). */
        private void frame(int flags, byte[] body, int length) throws ZmtpConnection.ProtocolException {
            boolean command = (flags & Zmtp.FLAG_COMMAND) != 0;
            switch (stage) {
                case READY -> {
                    if (!command) {
                        throw new ZmtpConnection.ProtocolException("a message before READY");
                    }
                    Zmtp.checkReady(body, "DEALER");
                    stage = Stage.ANSWER;
                    // only now: a ZeroMQ peer takes no message before its own READY is out
                    write(ByteBuffer.wrap(Zmtp.frame(0, challenge)));
                }
                case ANSWER -> {
                    if (!command) {
                        authenticate(body);
                    }
                }
                case OPEN -> {
                    if (!command) {
                        deliver(body, length);
                    }
                }
                default -> throw new IllegalStateException(stage.name());
            }
        }

        private void authenticate(byte[] answer) throws ZmtpConnection.ProtocolException {
            int claimed = PeerAuthentication.check(secret, challenge, answer);
            if (claimed < 0) {
                throw new ZmtpConnection.ProtocolException("its answer to the challenge was not made with this server's secret");
            }
            handshaking.remove(this);
            peer = numbersPeers ? ++lastPeer : claimed;
            stage = Stage.OPEN;
            write(ByteBuffer.wrap(Zmtp.frame(0, PeerAuthentication.proof(secret, challenge, answer))));
            Connection old = peers.put(peer, this);
            if (old != null) {
                LOG.warn("peer {} connected again to {}; its old connection is closed", peer, local);
                old.close();
            }
        }

        private void deliver(byte[] body, int length) {
            try {
                frames.onFrame(peer, body, length);
            } catch (UnreadableFrameException e) {
                LOG.error("{}; its connection to {} is closed", e.getMessage(), local);
                close();
            } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
                LOG.error("handling a frame of {} bytes from peer {} failed", length, peer, e);
            }
        }

        private void closedByPeer() {
            if (stage == Stage.OPEN) {
                LOG.debug("peer {} closed its connection to {}", peer, local);
            } else {
                LOG.debug("a connection from {} to {} closed before authenticating", remote, local);
            }
            close();
        }

        private void lost(IOException e) {
            LOG.debug("the connection of peer {} to {} ended: {}", peer, local, e.toString());
            close();
        }

        void close() {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
                backlog.clear();
            }
            boolean announce = peers.remove(peer, this);
            closeQuietly(transport);
            if (Thread.currentThread() == thread) {
                handshaking.remove(this);
            }
            if (announce) {
                closedPeers.add(peer);
                selector.wakeup();
            }
        }
    }
}
