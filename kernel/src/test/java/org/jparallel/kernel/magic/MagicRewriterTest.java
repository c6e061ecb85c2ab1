package org.jparallel.kernel.magic;

import org.dflib.jjava.jupyter.kernel.magic.MagicParser;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MagicRewriterTest {

    private final MagicParser parser = new MagicParser("(?<=(?:^|=))\\s*%", "%%", new MagicRewriter());

    private static String decodedLiterals(String java) {
        Matcher m = Pattern.compile("decode\\(\"([A-Za-z0-9+/=]*)\"\\)").matcher(java);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            out.append('[').append(new String(Base64.getDecoder().decode(m.group(1)), StandardCharsets.UTF_8))
                    .append(']');
        }
        return out.toString();
    }

    @Test
    void cellMagicCarriesNameArgumentsAndBodyExactly() {
        String java = parser.resolveMagics("%%parallel -n 2 --out \"my name\"\nint x = \"quoted \\\" text\";\nx");
        assertTrue(java.startsWith(MagicCalls.class.getName() + ".cell("), java);
        assertEquals("[parallel][-n][2][--out][my name][int x = \"quoted \\\" text\";\nx]", decodedLiterals(java));
    }

    @Test
    void lineMagicsAtLineStartOrAfterAssignmentOnly() {
        String java = parser.resolveMagics("%classpath a.jar\nvar t = %time f();\nint m = 7 % 3;");
        // each line magic: its name, its split arguments, then its text as written
        assertEquals("[classpath][a.jar][a.jar][time][f();][f();]", decodedLiterals(java));
        assertTrue(java.endsWith("int m = 7 % 3;"), java);
        assertTrue(java.contains("var t =" + MagicCalls.class.getName() + ".line("), java);
    }

    @Test
    void lineMagicCodeIsCarriedAsWritten() {
        String java = parser.resolveMagics("%time  g(\"a  b\", 'c')");
        String literals = decodedLiterals(java);
        assertTrue(literals.startsWith("[time]") && literals.endsWith("[g(\"a  b\", 'c')]"), literals);
    }

    @Test
    void magicInsideAStringLiteralIsLeftAlone() {
        String code = "String s = \"=%notmagic\";";
        assertEquals(code, parser.resolveMagics(code));
    }
}
