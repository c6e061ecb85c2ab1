package org.jparallel.kernel;

/** The version of jparallel, read from the jar manifest (or "dev" when run from classes). */
final class KernelVersion {

    static final String VALUE = read();

    private KernelVersion() {
    }

    private static String read() {
        String v = KernelVersion.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
