package org.jparallel.internal.wire;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * How the two ends of a wire connection — a pool's or a process's worker and its kernel, a manager's
 * proxy and its server — prove to each other that they hold the server's secret, right after the ZMTP
 * greeting and before any message ({@code docs/wire-protocol.md}, "Authentication"). Also makes those
 * secrets.
 *
 * <p>The server sends a fresh random challenge; the client answers with its peer id, a fresh nonce of
 * its own and an HMAC-SHA256 over both nonces and the id; the server checks it and replies with an
 * HMAC over the same nonces under another label, which the client checks in turn. Both nonces are new
 * for every connection, so a recorded exchange cannot be replayed, and the labels keep either side's
 * MAC from serving as the other's. Python's {@code multiprocessing} authenticates its connections the
 * same way (its {@code authkey}); after it, the loopback TCP connection itself is the authenticated
 * channel: a process that does not own one of its two sockets can neither read nor write it.
 *
 * <p>Every worker does this once as it starts. The nonces come from {@code NativePRNGNonBlocking}
 * ({@code /dev/urandom}) rather than {@code new SecureRandom()}, which loads every configured security provider
 * (PKCS#11, SASL, XML signatures, elliptic curves) to find the default one. The MAC stays the JDK's
 * {@code javax.crypto.Mac}, although its first use reads the JCE policy files (about 18 ms of a worker's CPU
 * with the worker archive, JDK 17): an HMAC of our own would be hand-made cryptography.
 */
public final class PeerAuthentication {

    /** Bytes of a fresh secret. */
    private static final int SECRET_BYTES = 32;
    static final int NONCE_BYTES = 32;
    private static final int MAC_BYTES = 32;
    static final int ANSWER_BYTES = Integer.BYTES + NONCE_BYTES + MAC_BYTES;
    private static final byte[] WORKER = "jparallel worker answer".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KERNEL = "jparallel kernel proof".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = random();

    private PeerAuthentication() {
    }

    /** A new random secret for a pool, a process or a manager. */
    public static byte[] newSecret() {
        byte[] secret = new byte[SECRET_BYTES];
        RANDOM.nextBytes(secret);
        return secret;
    }

    /** A fresh challenge for a connecting peer. */
    static byte[] challenge() {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        return nonce;
    }

    /** A worker's answer to a challenge: {@code [peer id (4)][nonce (32)][MAC (32)]}. */
    static byte[] answer(byte[] secret, byte[] challenge, int peer) {
        byte[] nonce = challenge();
        ByteBuffer answer = ByteBuffer.allocate(ANSWER_BYTES).putInt(peer).put(nonce);
        answer.put(hmacSha256(secret, WORKER, challenge, Arrays.copyOf(answer.array(), Integer.BYTES + NONCE_BYTES)));
        return answer.array();
    }

    /** The peer id an answer proves, or -1 if it was not made with this secret for this challenge. */
    static int check(byte[] secret, byte[] challenge, byte[] answer) {
        if (answer.length != ANSWER_BYTES) {
            return -1;
        }
        byte[] signed = Arrays.copyOf(answer, Integer.BYTES + NONCE_BYTES);
        byte[] expected = hmacSha256(secret, WORKER, challenge, signed);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(answer, signed.length, ANSWER_BYTES))) {
            return -1;
        }
        int peer = ByteBuffer.wrap(answer).getInt();
        return peer < 0 ? -1 : peer;
    }

    /** The kernel's proof, sent once it accepted an answer. */
    static byte[] proof(byte[] secret, byte[] challenge, byte[] answer) {
        return hmacSha256(secret, KERNEL, challenge, answer);
    }

    /** Whether a proof was made with this secret for this challenge and answer. */
    static boolean checkProof(byte[] secret, byte[] challenge, byte[] answer, byte[] proof) {
        return MessageDigest.isEqual(proof(secret, challenge, answer), proof);
    }

    /** HMAC-SHA256 of the parts, one after the other, under {@code key}. */
    static byte[] hmacSha256(byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    /** The JDK's non-blocking native generator ({@code /dev/urandom}) where there is one (Linux, macOS), else the default. */
    private static SecureRandom random() {
        try {
            return SecureRandom.getInstance("NativePRNGNonBlocking");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }
}
