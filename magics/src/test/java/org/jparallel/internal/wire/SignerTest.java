package org.jparallel.internal.wire;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SignerTest {

    private static final byte[] SECRET = Signer.newSecret();

    @Test
    void aSignedFrameOpensToItsBody() {
        byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
        byte[] frame = new Signer(SECRET).sign(body);
        assertArrayEquals(body, new Signer(SECRET).checker().open(frame).orElseThrow());
    }

    @Test
    void aWrongSecretOrAnyFlippedBitIsRefused() {
        byte[] frame = new Signer(SECRET).sign(new byte[] {1, 2, 3});
        assertFalse(new Signer(Signer.newSecret()).checker().open(frame).isPresent());
        for (int i = 0; i < frame.length; i++) {
            byte[] tampered = frame.clone();
            tampered[i] ^= 0x01;
            assertFalse(new Signer(SECRET).checker().open(tampered).isPresent(), "bit flipped at " + i);
        }
    }

    @Test
    void aReplayedOrOlderFrameIsRefused() {
        Signer sender = new Signer(SECRET);
        byte[] first = sender.sign(new byte[] {1});
        byte[] second = sender.sign(new byte[] {2});
        Signer.Checker checker = new Signer(SECRET).checker();
        assertTrue(checker.open(second).isPresent());
        assertFalse(checker.open(first).isPresent());
        assertFalse(checker.open(second).isPresent());
    }

    @Test
    void shortFramesAndShortSecretsAreRejected() {
        assertFalse(new Signer(SECRET).checker().open(new byte[10]).isPresent());
        assertFalse(new Signer(SECRET).checker().open(null).isPresent());
        assertThrows(IllegalArgumentException.class, () -> new Signer(new byte[8]));
    }
}
