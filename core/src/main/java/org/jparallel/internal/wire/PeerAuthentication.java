package org.jparallel.internal.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
 * <p>Every worker does this once as it starts, so it is done with as little of the JDK's security framework as
 * will do: the HMAC is computed over {@link MessageDigest}'s SHA-256 (RFC 2104) rather than by
 * {@code javax.crypto.Mac}, and the nonces come from {@code NativePRNGNonBlocking} ({@code /dev/urandom}) rather
 * than {@code new SecureRandom()}, which loads every configured security provider (PKCS#11, SASL, XML
 * signatures, elliptic curves) to find the default one, while {@code Mac} reads the JCE policy files: together
 * 50 to 80 ms of a worker's CPU to its first answer, of 220 to 260 (JDK 17; docs/architecture.md, "Worker
 * start-up").
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
    /** SHA-256's block size: the length the key is padded to. */
    private static final int BLOCK_BYTES = 64;

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

    /** HMAC-SHA256 (RFC 2104) of the parts, one after the other, under {@code key}. */
    static byte[] hmacSha256(byte[] key, byte[]... parts) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
        byte[] k = key.length > BLOCK_BYTES ? sha256.digest(key) : key;
        byte[] inner = new byte[BLOCK_BYTES];
        byte[] outer = new byte[BLOCK_BYTES];
        for (int i = 0; i < BLOCK_BYTES; i++) {
            byte b = i < k.length ? k[i] : 0;
            inner[i] = (byte) (b ^ 0x36);
            outer[i] = (byte) (b ^ 0x5c);
        }
        sha256.update(inner);
        for (byte[] part : parts) {
            sha256.update(part);
        }
        byte[] innerHash = sha256.digest();
        sha256.update(outer);
        return sha256.digest(innerHash);
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
