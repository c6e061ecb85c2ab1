package org.jparallel.internal.pool;

import org.jparallel.api.Manager;

/**
 * The {@link Manager} a pool owns: started by the first request, closed with the pool, after its workers
 * (which may still be using it). The reference is guarded by the pool's lock.
 */
final class OwnedManager {

    private final PoolState state;
    private Manager manager;

    OwnedManager(PoolState state) {
        this.state = state;
    }

    /** The manager, started now if this is the first request; refused once the pool is closing. */
    Manager get() {
        synchronized (state) {
            state.checkOpen();
            if (manager == null) {
                manager = Manager.start();
            }
            return manager;
        }
    }

    /** Closes the manager if one was started. */
    void close() {
        Manager owned;
        synchronized (state) {
            owned = manager;
        }
        if (owned != null) {
            owned.close();
        }
    }
}
