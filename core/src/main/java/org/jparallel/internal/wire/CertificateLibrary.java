package org.jparallel.internal.wire;

/**
 * Whether this JVM can issue a pool's certificates ({@link PoolAuthority}): BouncyCastle's {@code bcpkix}, an
 * optional dependency of jparallel-core, is on the class path. Apart from {@link PoolAuthority}, whose own loading
 * may need BouncyCastle's classes (the verifier loads them to check its methods), so that asking cannot fail.
 */
public final class CertificateLibrary {

    /** The Maven coordinates a program adds. */
    private static final String LIBRARY = "org.bouncycastle:bcpkix-jdk18on";

    private CertificateLibrary() {
    }

    /** Why no pool authority can be made in this JVM, to be shown as it is, or null if one can. */
    public static String missing() {
        ClassLoader loader = CertificateLibrary.class.getClassLoader();
        try {
            Class.forName("org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder", false, loader); // bcpkix
            Class.forName("org.bouncycastle.asn1.x500.X500Name", false, loader); // bcprov, which bcpkix needs
            return null;
        } catch (ClassNotFoundException | LinkageError e) {
            return "workers on other hosts need BouncyCastle on this program's class path, to issue the pool's TLS"
                    + " certificates: add the dependency " + LIBRARY + " (jparallel-core declares it optional, as"
                    + " workers on this machine start faster without it; the Jupyter kernel has it); missing: "
                    + e.getMessage();
        }
    }
}
