package org.jparallel.api;

/**
 * A value that only processes of this host can use was to be sent to a worker on another host: a
 * {@link SharedObject} (it lives in this host's shared memory) or a proxy of a manager that listens on this
 * host alone ({@link Manager#start()}). Thrown before anything is sent, like every
 * {@link NotSendableException}, whose accessors say which value and where inside it.
 *
 * <p>A worker is on another host when the pool started it on one (through ssh or a cluster's scheduler),
 * even if that host shares this one's memory: what decides is where the pool put the worker, not what it
 * happens to reach. Share state across hosts through the pool's manager ({@code pool.manager()}), whose
 * proxies work from every host.
 */
public class HostBoundException extends NotSendableException {

    private static final long serialVersionUID = 1L;

    private final String receiver;

    /**
     * A host-bound object found while sending to another host.
     *
     * @param name           what the value to send is called, e.g. {@code counter}
     * @param rootType       a short name of that value's type
     * @param path           where the object is inside it, e.g. {@code jobs[2].counter}
     * @param offendingClass the object's public type, e.g. {@code org.jparallel.api.SharedInt}
     * @param receiver       the receiver on another host, e.g. {@code worker 3 on host alpha}
     * @param reason         why that receiver cannot use it, without a final period
     * @param advice         what to do instead, as full sentences
     */
    public HostBoundException(String name, String rootType, String path, String offendingClass, String receiver,
                              String reason, String advice) {
        super(name, rootType, path, offendingClass, offendingClass.substring(offendingClass.lastIndexOf('.') + 1),
                reason, advice);
        this.receiver = receiver;
    }

    /** The receiver on another host the value was to reach, e.g. {@code worker 3 on host alpha}. */
    public String receiver() {
        return receiver;
    }
}
