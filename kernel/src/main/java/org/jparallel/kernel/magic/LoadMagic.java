package org.jparallel.kernel.magic;

import org.dflib.jjava.jupyter.kernel.magic.LineMagic;
import org.jparallel.kernel.JavaKernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code %load FILE}: runs a file of Java snippets ({@code .jsh}, {@code .jshell} or {@code .java})
 * as if its text were the cell, and returns the value of its last expression, if any.
 */
public final class LoadMagic implements LineMagic<Object, JavaKernel> {

    @Override
    public Object eval(JavaKernel kernel, List<String> args) {
        if (args.size() != 1) {
            throw new MagicException("usage: %load FILE");
        }
        Path file = Path.of(args.get(0));
        String code;
        try {
            code = Files.readString(file);
        } catch (IOException e) {
            throw new MagicException("cannot read " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        return kernel.evalCell(code).value();
    }
}
