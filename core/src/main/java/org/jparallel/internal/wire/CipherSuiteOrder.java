package org.jparallel.internal.wire;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.lang.management.ManagementFactory;

/**
 * The TLS 1.3 cipher suites in the order a server of this JVM prefers them: the one this JVM computes with
 * the least CPU first. The server's order wins ({@code setUseCipherSuitesOrder}), so the kernel's JVM, which
 * serves every remote worker, decides for both ends.
 *
 * <p>The rule, from CPU time per MB measured on JDK 17 and 25 (bench/README.md, "What TLS costs on the
 * wire"): AES-GCM costs little only where the JIT compiles it to the CPU's AES and carry-less multiply
 * instructions, which C2 alone does (1.1-1.7 ms/MB encrypted and decrypted, against 4.4-8 for
 * ChaCha20-Poly1305); under C1 ({@code -XX:TieredStopAtLevel=1}, as the kernel runs) or the interpreter,
 * both are plain Java, and AES-GCM costs 48-52 ms/MB against ChaCha20-Poly1305's 11-12. So AES-GCM first
 * where the CPU has those instructions and C2 compiles; ChaCha20-Poly1305 first otherwise, and wherever the
 * JVM does not say (a JVM other than HotSpot).
 */
final class CipherSuiteOrder {

    static final String CHACHA20 = "TLS_CHACHA20_POLY1305_SHA256";
    static final String AES_128_GCM = "TLS_AES_128_GCM_SHA256";
    static final String AES_256_GCM = "TLS_AES_256_GCM_SHA384";

    private CipherSuiteOrder() {
    }

    /** The order for this JVM (asked once: reading the JVM's flags takes some 15-40 ms). */
    static String[] forThisJvm() {
        return ThisJvm.ORDER.clone();
    }

    /** ChaCha20-Poly1305 last if AES-GCM is compiled to the CPU's instructions, first otherwise. */
    static String[] order(boolean aesGcmCompiled) {
        return aesGcmCompiled
                ? new String[]{AES_128_GCM, AES_256_GCM, CHACHA20}
                : new String[]{CHACHA20, AES_128_GCM, AES_256_GCM};
    }

    /**
     * Whether a JVM with these flags compiles AES-GCM to AES-NI and carry-less multiply: {@code UseAES} (the
     * CPU has the instructions and they are not turned off), {@code UseCLMUL} where the flag exists (x86),
     * a compiler at all ({@code UseCompiler}, off with {@code -Xint}), and C2 ({@code TieredStopAtLevel} 4,
     * or no tiers).
     */
    static boolean aesGcmCompiled(Flags flags) {
        return flags.on("UseAES") && !flags.off("UseCLMUL") && flags.on("UseCompiler")
                && (!flags.on("TieredCompilation") || "4".equals(flags.value("TieredStopAtLevel")));
    }

    /** A JVM's flags by name; {@code null} for a flag it does not have. */
    @FunctionalInterface
    interface Flags {
        String value(String name);

        default boolean on(String name) {
            return "true".equals(value(name));
        }

        default boolean off(String name) {
            return "false".equals(value(name));
        }
    }

    private static final class ThisJvm {
        static final String[] ORDER = order(aesGcmCompiled(thisJvmFlags()));

        private static Flags thisJvmFlags() {
            try {
                HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
                if (hotSpot == null) {
                    return name -> null;
                }
                return name -> {
                    try {
                        return hotSpot.getVMOption(name).getValue();
                    } catch (IllegalArgumentException e) {
                        return null; // no such flag in this JVM
                    }
                };
            } catch (RuntimeException | LinkageError e) {
                return name -> null; // no HotSpot management (another JVM, or jdk.management left out)
            }
        }
    }
}
