package org.jparallel.kernel.magic;

import org.dflib.jjava.jupyter.kernel.magic.LineMagic;
import org.jparallel.kernel.JavaKernel;

import java.util.List;
import java.util.stream.Collectors;

/** {@code %lsmagic}: prints every line and cell magic this kernel knows. */
public final class LsMagic implements LineMagic<Void, JavaKernel> {

    @Override
    public Void eval(JavaKernel kernel, List<String> args) {
        if (!args.isEmpty()) {
            throw new MagicException("%lsmagic takes no arguments");
        }
        List<String> names = kernel.magicNames();
        System.out.println("Line magics: " + names.stream().filter(n -> !n.startsWith("%%"))
                .collect(Collectors.joining("  ")));
        System.out.println("Cell magics: " + names.stream().filter(n -> n.startsWith("%%"))
                .collect(Collectors.joining("  ")));
        return null;
    }
}
