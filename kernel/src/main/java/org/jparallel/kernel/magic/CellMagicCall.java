package org.jparallel.kernel.magic;

import org.dflib.jjava.jupyter.kernel.magic.MagicParser;
import org.dflib.jjava.jupyter.kernel.magic.MagicTranspiler;
import org.dflib.jjava.jupyter.kernel.magic.ParsedCellMagic;
import org.dflib.jjava.jupyter.kernel.magic.ParsedLineMagic;

import java.util.List;

/**
 * A cell that is one cell magic ({@code %%name args} and a body), parsed as the kernel's
 * {@link MagicParser} parses it. Such a cell is run by calling the magic directly: compiling a snippet
 * that calls it would cost a JShell compilation for nothing.
 */
public record CellMagicCall(String name, List<String> args, String body) {

    /** The cell magic that {@code cell} is, or null if it is not one. */
    public static CellMagicCall of(String cell) {
        Capture capture = new Capture();
        new MagicParser(MagicRewriter.LINE_MAGIC_START, "%%", capture).resolveMagics(cell);
        ParsedCellMagic magic = capture.cell;
        return magic == null ? null
                : new CellMagicCall(magic.magicCall.name, List.copyOf(magic.magicCall.args), magic.magicCall.body);
    }

    /** Runs the magic, as {@link MagicCalls#cell} does, and returns its value. */
    public Object run() {
        return MagicCalls.cell(name, args, body);
    }

    /** Keeps the parsed cell magic instead of writing Java for it. */
    private static final class Capture extends MagicTranspiler {
        ParsedCellMagic cell;

        @Override
        public String transpileCell(ParsedCellMagic magic) {
            cell = magic;
            return "";
        }

        @Override
        public String transpileLine(ParsedLineMagic magic) {
            return magic.raw;
        }
    }
}
