package org.jparallel.internal.wire;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;

/**
 * Signs and checks frames with a secret, as a manager's requests and replies are:
 * {@code [HMAC-SHA256 (32 bytes)][sequence (8)][body]}. Also makes the random secrets of pools and managers.
 *
 * <p>The MAC covers the sequence number and the body. A receiver keeps one {@link Checker} per peer,
 * which accepts only strictly increasing sequence numbers, so a recorded frame cannot be replayed.
 * Not thread-safe: each socket thread owns its own instances.
 */
public final class Signer {

    /** Bytes of a fresh pool secret. */
    public static final int SECRET_BYTES = 32;
    static final int MAC_BYTES = 32;
    static final int HEADER_BYTES = MAC_BYTES + Long.BYTES;

    private final Mac mac;
    private long nextSequence = 1;

    public Signer(byte[] secret) {
        if (secret.length < 16) {
            throw new IllegalArgumentException("a pool secret needs at least 16 bytes");
        }
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    /** A new random secret. */
    public static byte[] newSecret() {
        byte[] secret = new byte[SECRET_BYTES];
        new SecureRandom().nextBytes(secret);
        return secret;
    }

    /** The frame carrying this body, signed with the next sequence number. */
    public byte[] sign(byte[] body) {
        ByteBuffer frame = ByteBuffer.allocate(HEADER_BYTES + body.length);
        frame.position(MAC_BYTES);
        frame.putLong(nextSequence++);
        frame.put(body);
        byte[] bytes = frame.array();
        mac.update(bytes, MAC_BYTES, bytes.length - MAC_BYTES);
        byte[] tag = mac.doFinal();
        System.arraycopy(tag, 0, bytes, 0, MAC_BYTES);
        return bytes;
    }

    /** Checks frames from one peer. */
    public final class Checker {
        private long lastSequence;

        /** The body of a frame that is correctly signed and newer than the last one, or empty. */
        public Optional<byte[]> open(byte[] frame) {
            if (frame == null || frame.length < HEADER_BYTES) {
                return Optional.empty();
            }
            mac.update(frame, MAC_BYTES, frame.length - MAC_BYTES);
            byte[] expected = mac.doFinal();
            if (!MessageDigest.isEqual(expected, Arrays.copyOf(frame, MAC_BYTES))) {
                return Optional.empty();
            }
            long sequence = ByteBuffer.wrap(frame, MAC_BYTES, Long.BYTES).getLong();
            if (sequence <= lastSequence) {
                return Optional.empty();
            }
            lastSequence = sequence;
            return Optional.of(Arrays.copyOfRange(frame, HEADER_BYTES, frame.length));
        }
    }

    /** A checker for frames from one peer signed with the same secret. */
    public Checker checker() {
        return new Checker();
    }
}
