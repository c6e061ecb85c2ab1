package org.jparallel.internal.manager;

/**
 * A proxy of a managed object: what the value codec sends in its place (tag 24), so every process that
 * receives it talks to the same object on the same server.
 */
public interface ManagedProxy {

    /** The reference that stands for this proxy's object in another process. */
    ProxyReference reference();
}
