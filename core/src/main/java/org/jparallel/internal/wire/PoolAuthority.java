package org.jparallel.internal.wire;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * A pool's ephemeral certificate authority, as Dask's {@code Security.temporary()} makes one: a fresh
 * EC P-256 key pair and a self-signed CA certificate, which signs one server certificate (the kernel's
 * TLS listener) and one client certificate (every remote worker of the pool), and is then forgotten:
 * its private key lives only in this object, which the pool drops once both are issued, so nothing can
 * issue another certificate this pool's ends trust.
 *
 * <p>The certificates are built with BouncyCastle's {@code bcpkix} (the JDK has no public API to issue
 * one) and signed by the JDK's own {@code SHA256withECDSA}; no BouncyCastle provider is installed, and
 * the worker side reads the result with the JDK alone ({@link TlsIdentity}). They carry no host name:
 * each end trusts only this pool's CA, so the name a worker dialed is not what proves the kernel.
 *
 * <p>{@code bcpkix} is an optional dependency of jparallel-core: only pools with workers on other hosts need
 * it, and its jars on a program's class path cost each of that program's local workers 40 to 50 ms of start-up
 * and 4.5 MiB (the worker's start-up resource lookups open every jar of the class path, and bcprov's signed
 * manifest alone is 855 KB; docs/architecture.md, "Worker start-up"). {@link CertificateLibrary} says so before
 * a pool reaches any host.
 */
public final class PoolAuthority {

    /** Longer than any pool lives; the CA key, gone with this object, is what limits what it signs. */
    private static final Duration VALIDITY = Duration.ofDays(30);
    /** Accepts a peer whose clock is somewhat behind ours. */
    private static final Duration CLOCK_SKEW = Duration.ofHours(1);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyPair caKeys;
    private final X509Certificate caCertificate;

    private PoolAuthority(KeyPair caKeys, X509Certificate caCertificate) {
        this.caKeys = caKeys;
        this.caCertificate = caCertificate;
    }

    /** A new authority with a fresh key, named after {@code poolName} (for the certificates' readers only). */
    public static PoolAuthority create(String poolName) {
        try {
            KeyPair keys = newKeyPair();
            X500Name name = new X500Name("CN=jparallel pool CA " + poolName.replaceAll("[^A-Za-z0-9 ._-]", "_"));
            X509v3CertificateBuilder builder = builder(name, name, keys.getPublic());
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    extensions.createSubjectKeyIdentifier(keys.getPublic()));
            return new PoolAuthority(keys, sign(builder, keys));
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            throw new IllegalStateException("could not make the pool's certificate authority: " + e.getMessage(), e);
        }
    }

    /** A key and certificate for the kernel's TLS listener (extended key usage: TLS server). */
    public TlsIdentity issueServer() {
        return issue("kernel", KeyPurposeId.id_kp_serverAuth);
    }

    /** A key and certificate for the pool's remote workers (extended key usage: TLS client). */
    public TlsIdentity issueClient() {
        return issue("worker", KeyPurposeId.id_kp_clientAuth);
    }

    private TlsIdentity issue(String role, KeyPurposeId purpose) {
        try {
            KeyPair keys = newKeyPair();
            X500Name subject = new X500Name("CN=jparallel " + role);
            X509v3CertificateBuilder builder = builder(
                    X500Name.getInstance(caCertificate.getSubjectX500Principal().getEncoded()), subject, keys.getPublic());
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    extensions.createAuthorityKeyIdentifier(caCertificate));
            X509Certificate certificate = sign(builder, caKeys);
            return new TlsIdentity(keys.getPrivate(), certificate, caCertificate);
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            throw new IllegalStateException("could not issue the " + role + "'s certificate: " + e.getMessage(), e);
        }
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, java.security.PublicKey key) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(127, RANDOM).add(BigInteger.ONE),
                Date.from(now.minus(CLOCK_SKEW)), Date.from(now.plus(VALIDITY)), subject, key);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
            throws OperatorCreationException, GeneralSecurityException {
        ContentSigner signature = new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate());
        return new JcaX509CertificateConverter().getCertificate(builder.build(signature));
    }
}
