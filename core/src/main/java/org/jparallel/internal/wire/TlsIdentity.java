package org.jparallel.internal.wire;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One end's TLS credentials on a pool's wire: its private key and certificate, and the pool's CA
 * certificate, the only one it trusts ({@link PoolAuthority}). Makes the {@link SSLContext} both ends
 * use: TLS 1.3 only, the peer's certificate required both ways.
 *
 * <p>A worker on another host gets its identity as text over the launcher's channel (SSH's standard
 * input, a 0600 file for Slurm), never on a command line: {@link #encode} writes three PEM blocks (CA
 * certificate, certificate, PKCS#8 key), which {@link #decode} reads with the JDK alone.
 */
public final class TlsIdentity {

    /** The only protocol spoken: TLS 1.3 (RFC 8446). */
    static final String PROTOCOL = "TLSv1.3";
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)-----END \\1-----");

    private final PrivateKey key;
    private final X509Certificate certificate;
    private final X509Certificate authority;
    private final SSLContext context;

    TlsIdentity(PrivateKey key, X509Certificate certificate, X509Certificate authority) {
        this.key = key;
        this.certificate = certificate;
        this.authority = authority;
        this.context = context(key, certificate, authority);
    }

    /** This end's certificate. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** The certificate of the pool's authority, the only one this end trusts. */
    public X509Certificate authority() {
        return authority;
    }

    /** The three PEM blocks a worker needs; secret (it holds the private key): never on a command line. */
    public byte[] encode() {
        try {
            return (pem("CERTIFICATE", authority.getEncoded())
                    + pem("CERTIFICATE", certificate.getEncoded())
                    + pem("PRIVATE KEY", key.getEncoded())).getBytes(StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not encode a certificate: " + e.getMessage(), e);
        }
    }

    /**
     * Reads what {@link #encode} wrote.
     *
     * @throws IllegalArgumentException if the text is not a CA certificate, a certificate and a key
     */
    public static TlsIdentity decode(byte[] encoded) {
        String text = new String(encoded, StandardCharsets.US_ASCII);
        List<byte[]> blocks = new ArrayList<>();
        List<String> kinds = new ArrayList<>();
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            kinds.add(m.group(1));
            blocks.add(Base64.getMimeDecoder().decode(m.group(2)));
        }
        if (!kinds.equals(List.of("CERTIFICATE", "CERTIFICATE", "PRIVATE KEY"))) {
            throw new IllegalArgumentException("TLS credentials must be a CA certificate, a certificate and a private key"
                    + " (PEM), not " + kinds);
        }
        try {
            CertificateFactory certificates = CertificateFactory.getInstance("X.509");
            X509Certificate authority = (X509Certificate) certificates.generateCertificate(new ByteArrayInputStream(blocks.get(0)));
            X509Certificate certificate = (X509Certificate) certificates.generateCertificate(new ByteArrayInputStream(blocks.get(1)));
            PrivateKey key = KeyFactory.getInstance(certificate.getPublicKey().getAlgorithm())
                    .generatePrivate(new PKCS8EncodedKeySpec(blocks.get(2)));
            return new TlsIdentity(key, certificate, authority);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("unreadable TLS credentials: " + e.getMessage(), e);
        }
    }

    /** An engine for the server's end of one accepted connection: it requires the client's certificate. */
    SSLEngine serverEngine() {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        SSLParameters parameters = parameters(engine.getSSLParameters());
        parameters.setCipherSuites(CipherSuiteOrder.forThisJvm()); // the server's order decides
        parameters.setNeedClientAuth(true);
        parameters.setUseCipherSuitesOrder(true);
        engine.setSSLParameters(parameters);
        return engine;
    }

    /** A client's socket over a connected plain one (closed with it), not yet shaken hands. */
    SSLSocket clientSocket(Socket plain, InetSocketAddress server) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory()
                .createSocket(plain, server.getHostString(), server.getPort(), true);
        socket.setUseClientMode(true);
        socket.setSSLParameters(parameters(socket.getSSLParameters()));
        return socket;
    }

    private static SSLParameters parameters(SSLParameters parameters) {
        parameters.setProtocols(new String[]{PROTOCOL});
        parameters.setCipherSuites(CipherSuiteOrder.order(false)); // a client's order does not count
        return parameters;
    }

    private static SSLContext context(PrivateKey key, X509Certificate certificate, X509Certificate authority) {
        try {
            char[] password = new char[0];
            KeyStore own = KeyStore.getInstance("PKCS12");
            own.load(null, null);
            own.setKeyEntry("self", key, password, new Certificate[]{certificate}); // the peer holds the CA
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(own, password);
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry("pool-ca", authority);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance(PROTOCOL);
            context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("could not set up TLS: " + e.getMessage(), e);
        }
    }

    private static String pem(String kind, byte[] der) {
        return "-----BEGIN " + kind + "-----\n" + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der)
                + "\n-----END " + kind + "-----\n";
    }
}
