package org.jparallel.api;

/**
 * A host given to a pool ({@code WorkerPool.Builder.host}, {@code %pool start --hosts}) is not written as one:
 * the message quotes the entry, says what is wrong and shows the forms that work ({@code alpha},
 * {@code alpha:4}, {@code alice@alpha:4}, {@code [fe80::1%eth0]:2}). Thrown before anything is started.
 */
public class InvalidHostException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String entry;

    /**
     * @param entry   the entry as given
     * @param problem what is wrong with it, as a clause without a final period
     */
    public InvalidHostException(String entry, String problem) {
        super("not a host: '" + entry + "': " + problem + ". A host is HOST or HOST:N (N workers, at least 1),"
                + " HOST being a name from your ssh config, a host name, an IPv4 address, or an IPv6 address in"
                + " brackets ([::1], [fe80::1%eth0]), optionally after USER@: e.g. alpha:4, alice@10.0.0.5,"
                + " [fd00::5]:2");
        this.entry = entry;
    }

    /** The entry as given, e.g. {@code fe80::1:2}. */
    public String entry() {
        return entry;
    }
}
