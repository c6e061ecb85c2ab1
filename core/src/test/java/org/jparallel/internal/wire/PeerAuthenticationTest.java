package org.jparallel.internal.wire;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The handshake's HMAC-SHA256 over parts (the test vectors of RFC 4231, a message split anywhere), and
 * answers and proofs that check only with the secret and challenge they were made for.
 */
class PeerAuthenticationTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void rfc4231TestVectors() {
        // test cases 1, 2, 4, 6 and 7 (5 is a truncated MAC; 3 is like 4)
        assertEquals("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
                hex(HEX.parseHex("0b".repeat(20)), "Hi There".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                hex("Jefe".getBytes(StandardCharsets.US_ASCII), "what do ya want ".getBytes(StandardCharsets.US_ASCII),
                        "for nothing?".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
                hex(HEX.parseHex("0102030405060708090a0b0c0d0e0f10111213141516171819"), HEX.parseHex("cd".repeat(50))));
        assertEquals("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
                hex(HEX.parseHex("aa".repeat(131)),
                        "Test Using Larger Than Block-Size Key - Hash Key First".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
                hex(HEX.parseHex("aa".repeat(131)), ("This is a test using a larger than block-size key and a larger than "
                        + "block-size data. The key needs to be hashed before being used by the HMAC algorithm.")
                        .getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void anAnswerAndAProofCheckOnlyWithTheirSecretAndChallenge() {
        byte[] secret = PeerAuthentication.newSecret();
        byte[] challenge = PeerAuthentication.challenge();
        byte[] answer = PeerAuthentication.answer(secret, challenge, 7);
        assertEquals(7, PeerAuthentication.check(secret, challenge, answer));
        assertEquals(-1, PeerAuthentication.check(PeerAuthentication.newSecret(), challenge, answer));
        assertEquals(-1, PeerAuthentication.check(secret, PeerAuthentication.challenge(), answer));
        byte[] forged = answer.clone();
        forged[3] = 8; // another peer id under the same MAC
        assertEquals(-1, PeerAuthentication.check(secret, challenge, forged));

        byte[] proof = PeerAuthentication.proof(secret, challenge, answer);
        assertTrue(PeerAuthentication.checkProof(secret, challenge, answer, proof));
        assertFalse(PeerAuthentication.checkProof(PeerAuthentication.newSecret(), challenge, answer, proof));
        assertFalse(PeerAuthentication.checkProof(secret, challenge, forged, proof));
    }

    private static String hex(byte[] key, byte[]... parts) {
        return HEX.formatHex(PeerAuthentication.hmacSha256(key, parts));
    }
}
