package org.jparallel.internal.pool;

import org.jparallel.api.HostLaunchException;
import org.jparallel.internal.launch.RemoteHost;
import org.jparallel.internal.launch.RemoteLauncher;
import org.jparallel.internal.launch.SlurmAllocation;
import org.jparallel.internal.launch.SlurmLauncher;
import org.jparallel.internal.launch.SshLauncher;
import org.jparallel.internal.launch.SshOptions;
import org.jparallel.internal.launch.WorkerLauncher;
import org.jparallel.internal.wire.CertificateLibrary;
import org.jparallel.internal.wire.PoolAuthority;
import org.jparallel.internal.wire.TlsIdentity;
import org.jparallel.internal.wire.WireServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Where a pool's workers on other hosts go and how they reach the kernel. The pool's last indexes are
 * theirs: the ssh hosts' in the order given, then the Slurm job's, node after node; the first ones (and any a
 * resize adds) run on this machine. Made before the pool's wire: it checks every host through ssh (so an
 * unreachable one fails the start at once, in words), waits for the Slurm job to be granted (or fails on its
 * refusal, or when it pends too long) and checks its nodes, chooses for each host the kernel address it dials
 * (the user's, or the one this machine routes that host through; never the wildcard) and makes the pool's
 * certificate authority; then {@link #bind} learns the ports the wire listens on. {@link #close} cancels the
 * Slurm job.
 */
final class RemoteWorkers implements AutoCloseable {

    private final int firstIndex;
    /** The host of each remote index, from {@link #firstIndex}, and what starts a worker there. */
    private final List<String> hostOfIndex = new ArrayList<>();
    private final List<RemoteLauncher> launcherOfIndex = new ArrayList<>();
    /** The address of this machine each host's listener is on: the user's choice, else the one it dials. */
    private final Map<String, InetAddress> addressOf = new LinkedHashMap<>();
    /** The address of this machine each host dials: the listener's, or for a wildcard one, the route's. */
    private final Map<String, InetAddress> dialedOf = new LinkedHashMap<>();
    /** The kernel address and port each host dials, once bound. */
    private final Map<String, InetSocketAddress> kernelOf = new LinkedHashMap<>();
    private final List<WireServer.TlsListener> listeners = new ArrayList<>();
    private final List<InetAddress> listened = new ArrayList<>();
    private final byte[] credentials;
    /** The pool's server certificate, for the wire and the pool's manager. */
    private final TlsIdentity server;
    /** The pool's Slurm job and its launcher, or null. */
    private SlurmAllocation slurmJob;
    private SlurmLauncher slurmLauncher;

    /** Nothing remote: every worker runs on this machine. */
    private RemoteWorkers() {
        this.firstIndex = Integer.MAX_VALUE;
        this.credentials = null;
        this.server = null;
    }

    private RemoteWorkers(SshOptions options, int size, String classpath, List<String> jvmOptions) {
        this.firstIndex = size - options.workers();
        String missing = CertificateLibrary.missing();
        if (missing != null) { // before any host is reached or any Slurm job requested
            throw new HostLaunchException(options.hosts().isEmpty() ? "slurm"
                    : options.hosts().get(0).destination(), missing);
        }
        InetAddress chosen = options.listen() == null ? null : chosenAddress(options);
        if (!options.hosts().isEmpty()) {
            SshLauncher ssh = new SshLauncher(options, classpath, jvmOptions);
            for (RemoteHost host : options.hosts()) {
                ssh.check(host.destination());
                place(host, ssh, chosen, ssh::routeTo);
            }
        }
        if (options.slurm() != null) {
            slurmJob = SlurmAllocation.request(options.slurm());
        }
        try {
            if (slurmJob != null) {
                slurmLauncher = new SlurmLauncher(slurmJob, options.javaHome(), classpath, jvmOptions);
                for (RemoteHost node : slurmJob.nodes()) {
                    slurmLauncher.check(node.destination());
                    place(node, slurmLauncher, chosen, slurmLauncher::routeTo);
                }
            }
            PoolAuthority authority = PoolAuthority.create("pool");
            this.server = authority.issueServer();
            this.credentials = authority.issueClient().encode();
            for (InetAddress address : addressOf.values()) {
                if (!listened.contains(address)) {
                    listened.add(address);
                    listeners.add(new WireServer.TlsListener(new InetSocketAddress(address, 0), server));
                }
            }
        } catch (RuntimeException e) {
            close(); // the job is not left to run until this JVM ends
            throw e;
        }
    }

    /** The workers {@code options} place on other hosts, checked; none if it names no host. */
    static RemoteWorkers of(SshOptions options, int size, String classpath, List<String> jvmOptions) {
        return options.remote() ? new RemoteWorkers(options, size, classpath, jvmOptions) : new RemoteWorkers();
    }

    /**
     * The next indexes are {@code host}'s workers, started by {@code launcher}; the kernel listens for them on
     * {@code chosen} (null: the address this machine routes the host through, {@code routeTo}'s).
     */
    private void place(RemoteHost host, RemoteLauncher launcher, InetAddress chosen,
                       Function<String, InetAddress> routeTo) {
        // listening on every interface (the user's choice), a host still dials one: the wildcard there is itself
        InetAddress dialed = chosen != null && !chosen.isAnyLocalAddress() ? chosen : routeTo.apply(host.destination());
        addressOf.put(host.destination(), chosen != null ? chosen : dialed);
        dialedOf.put(host.destination(), dialed);
        for (int i = 0; i < host.workers(); i++) {
            hostOfIndex.add(host.destination());
            launcherOfIndex.add(launcher);
        }
    }

    /**
     * The first worker {@code options} place on another host, as messages name it ({@code worker 3 on host
     * alpha}, or {@code worker 3 in the pool's Slurm job}, whose nodes are not known before it is granted); null
     * if they place none. What every worker gets (the initializer) may reach it.
     */
    static String firstReceiver(SshOptions options, int size) {
        if (!options.remote()) {
            return null;
        }
        String worker = "worker " + (size - options.workers());
        return options.hosts().isEmpty() ? worker + " in the pool's Slurm job"
                : worker + " on host " + options.hosts().get(0).destination();
    }

    private static InetAddress chosenAddress(SshOptions options) {
        try {
            return InetAddress.getByName(options.listen());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("the address to listen on does not resolve: " + options.listen());
        }
    }

    /** The TLS listeners the wire is to open: one per distinct kernel address. */
    List<WireServer.TlsListener> listeners() {
        return listeners;
    }

    /**
     * Where the pool's manager listens for workers on other hosts: on each address the wire listens on for
     * them (any free port), with the same certificate; none when every worker runs on this machine.
     */
    List<WireServer.TlsListener> managerListeners() {
        return listened.stream().map(a -> new WireServer.TlsListener(new InetSocketAddress(a, 0), server)).toList();
    }

    /** The wire is open: each host dials the port of its address. */
    void bind(WireServer wire) {
        List<InetSocketAddress> bound = wire.remoteAddresses();
        addressOf.forEach((host, address) -> kernelOf.put(host,
                new InetSocketAddress(dialedOf.get(host), bound.get(listened.indexOf(address)).getPort())));
    }

    /** The host of the worker of this index, or null if it runs on this machine. */
    String hostOf(int index) {
        int i = index - firstIndex;
        return i >= 0 && i < hostOfIndex.size() ? hostOfIndex.get(i) : null;
    }

    /** Starts the worker of this index on its host. */
    WorkerLauncher.Launched launch(int index, int peer, String name, byte[] secret) throws IOException {
        String host = hostOf(index);
        return launcherOfIndex.get(index - firstIndex).launch(host, kernelOf.get(host), peer, index, name, secret,
                credentials);
    }

    /** Cancels the Slurm job, if any, and deletes the credentials its workers did not read; call once they ended. */
    @Override
    public void close() {
        if (slurmLauncher != null) {
            slurmLauncher.close();
        }
        if (slurmJob != null) {
            slurmJob.close();
        }
    }
}
