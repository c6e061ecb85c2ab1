package org.jparallel.api;

/**
 * A shared object was sent after it was closed: its memory is gone, so the receiver could not map it.
 * Thrown before anything is sent, like every {@link NotSendableException}, whose accessors say which
 * value and where inside it.
 */
public class SharedObjectClosedException extends NotSendableException {

    private static final long serialVersionUID = 1L;

    /**
     * A closed shared object found while sending.
     *
     * @param name       what the value to send is called, e.g. {@code counter}
     * @param rootType   a short name of that value's type
     * @param path       where the closed object is inside it, e.g. {@code jobs[2].counter}
     * @param publicType the shared object's type, e.g. {@code org.jparallel.api.SharedInt}
     */
    public SharedObjectClosedException(String name, String rootType, String path, String publicType) {
        super(name, rootType, path, publicType, publicType.substring(publicType.lastIndexOf('.') + 1),
                "it was closed, so its shared memory is released and no other process can map it",
                "Send it before closing it, or create a new one (Shared.intValue(…), Shared.lock(), …).");
    }
}
