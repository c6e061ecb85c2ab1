package org.jparallel.internal.pool;

import org.jparallel.internal.manager.RealManager;

/**
 * The manager a pool owns: started by the first request, with the pool's class loader (so its values may be
 * instances of the classes the pool's code defines), closed with the pool, after its workers (which may still
 * be using it). The reference is guarded by the pool's lock.
 */
final class OwnedManager {

    private final PoolState state;
    private final ClassLoader loader;
    private RealManager manager;

    OwnedManager(PoolState state, ClassLoader loader) {
        this.state = state;
        this.loader = loader;
    }

    /** The manager, started now if this is the first request; refused once the pool is closing. */
    RealManager get() {
        synchronized (state) {
            state.checkOpen();
            if (manager == null) {
                manager = RealManager.start(loader);
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
