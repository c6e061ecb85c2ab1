package org.jparallel.internal.pool;

import org.jparallel.internal.manager.RealManager;
import org.jparallel.internal.wire.WireServer;

import java.util.List;

/**
 * The manager a pool owns: started by the first request, with the pool's class loader (so its values may be
 * instances of the classes the pool's code defines), closed with the pool, after its workers (which may still
 * be using it). When the pool has workers on other hosts, the manager also listens where they dial the kernel,
 * through TLS with the pool's server certificate (their client certificates are the pool's), so its proxies
 * work from every host. The reference is guarded by the pool's lock.
 */
final class OwnedManager {

    private final PoolState state;
    private final ClassLoader loader;
    /** Where the pool's workers on other hosts reach it through TLS: one listener per kernel address they dial. */
    private final List<WireServer.TlsListener> remotes;
    private RealManager manager;

    OwnedManager(PoolState state, ClassLoader loader, List<WireServer.TlsListener> remotes) {
        this.state = state;
        this.loader = loader;
        this.remotes = List.copyOf(remotes);
    }

    /** The manager, started now if this is the first request; refused once the pool is closing. */
    RealManager get() {
        synchronized (state) {
            state.checkOpen();
            if (manager == null) {
                manager = RealManager.start(loader, remotes);
            }
            return manager;
        }
    }

    /** Closes the manager if one was started. */
    void close() {
        RealManager owned;
        synchronized (state) {
            owned = manager;
        }
        if (owned != null) {
            owned.close();
        }
    }
}
