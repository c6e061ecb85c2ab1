package org.jparallel.kernel.magic;

import org.dflib.jjava.jupyter.kernel.magic.MagicTranspiler;
import org.dflib.jjava.jupyter.kernel.magic.ParsedCellMagic;
import org.dflib.jjava.jupyter.kernel.magic.ParsedLineMagic;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Turns magic syntax into Java: a call to {@link MagicCalls} with every string carried in Base64, so
 * no quoting in the arguments or the body can break the generated code. A line magic inside a string
 * literal is left alone.
 */
public final class MagicRewriter extends MagicTranspiler {

    /** Where a line magic may start: at the start of a line or after {@code =} ({@code var t = %time f();}). */
    public static final String LINE_MAGIC_START = "(?<=(?:^|=))\\s*%";

    private static final String CALLS = MagicCalls.class.getName();

    @Override
    public String transpileCell(ParsedCellMagic magic) {
        return CALLS + ".cell(" + literal(magic.magicCall.name) + ", " + list(magic.magicCall.args) + ", "
                + literal(magic.magicCall.body) + ");";
    }

    @Override
    public String transpileLine(ParsedLineMagic magic) {
        if (insideString(magic.linePrefix)) {
            return magic.raw;
        }
        // an expression, so that `var x = %time f();` and a bare `%lsmagic` both work
        String source = magic.raw.strip().substring(1 + magic.magicCall.name.length()).strip();
        return CALLS + ".line(" + literal(magic.magicCall.name) + ", " + list(magic.magicCall.args) + ", "
                + literal(source) + ");";
    }

    private static boolean insideString(String prefix) {
        boolean inside = false;
        for (int i = 0; i < prefix.length(); i++) {
            char c = prefix.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                inside = !inside;
            }
        }
        return inside;
    }

    private static String list(List<String> args) {
        return "java.util.List.of(" + args.stream().map(MagicRewriter::literal).collect(Collectors.joining(", "))
                + ")";
    }

    private static String literal(String s) {
        return "new String(java.util.Base64.getDecoder().decode(\""
                + Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8))
                + "\"), java.nio.charset.StandardCharsets.UTF_8)";
    }
}
