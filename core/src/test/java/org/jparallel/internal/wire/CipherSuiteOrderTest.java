package org.jparallel.internal.wire;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which cipher suite a server prefers, by what its JVM compiles: AES-GCM only where C2 uses AES-NI. */
class CipherSuiteOrderTest {

    private static final Map<String, String> C2_WITH_AES = Map.of("UseAES", "true", "UseCLMUL", "true",
            "UseCompiler", "true", "TieredCompilation", "true", "TieredStopAtLevel", "4");

    private static boolean compiled(Map<String, String> flags) {
        return CipherSuiteOrder.aesGcmCompiled(flags::get);
    }

    private static Map<String, String> with(String flag, String value) {
        var flags = new HashMap<>(C2_WITH_AES);
        flags.put(flag, value);
        return flags;
    }

    @Test
    void aesGcmComesFirstOnlyWhereC2CompilesItToTheCpusInstructions() {
        assertTrue(compiled(C2_WITH_AES));
        assertFalse(compiled(with("TieredStopAtLevel", "1")), "C1 only, as the kernel runs");
        assertFalse(compiled(with("UseCompiler", "false")), "-Xint");
        assertFalse(compiled(with("UseAES", "false")), "a CPU without AES-NI, or -XX:-UseAES");
        assertFalse(compiled(with("UseCLMUL", "false")), "no carry-less multiply for GHASH");
        assertTrue(compiled(with("TieredCompilation", "false")), "C2 alone");
        var aarch64 = new HashMap<>(C2_WITH_AES);
        aarch64.remove("UseCLMUL");
        assertTrue(compiled(aarch64), "no UseCLMUL flag: GHASH goes with AES");
        assertFalse(CipherSuiteOrder.aesGcmCompiled(name -> null), "a JVM that does not say");
    }

    @Test
    void theOrderNamesTheSameThreeSuitesEitherWay() {
        assertEquals(CipherSuiteOrder.AES_128_GCM, CipherSuiteOrder.order(true)[0]);
        assertEquals(CipherSuiteOrder.CHACHA20, CipherSuiteOrder.order(false)[0]);
        String[] a = CipherSuiteOrder.order(true).clone();
        String[] b = CipherSuiteOrder.order(false).clone();
        Arrays.sort(a);
        Arrays.sort(b);
        assertArrayEquals(a, b);
    }
}
