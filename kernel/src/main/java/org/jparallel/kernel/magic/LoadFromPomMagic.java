package org.jparallel.kernel.magic;

import org.dflib.jjava.jupyter.kernel.magic.CellMagic;
import org.dflib.jjava.jupyter.kernel.magic.LineMagic;
import org.jparallel.kernel.JavaKernel;
import org.jparallel.kernel.maven.PomDependencies;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code %loadFromPOM FILE}, and a {@code %%loadFromPOM} cell holding a whole POM or a
 * {@code <dependencies>} block: loads the POM's compile and runtime dependencies as {@code %maven} does,
 * its dependencyManagement and repositories applied.
 */
public final class LoadFromPomMagic implements LineMagic<Void, JavaKernel>, CellMagic<Void, JavaKernel> {

    private final NotebookLibraries libraries;

    public LoadFromPomMagic(NotebookLibraries libraries) {
        this.libraries = libraries;
    }

    @Override
    public Void eval(JavaKernel kernel, List<String> args) {
        if (args.size() != 1) {
            throw new MagicException("usage: %loadFromPOM FILE (or a %%loadFromPOM cell holding <dependencies>)");
        }
        load(kernel, PomDependencies.read(Path.of(args.get(0)), libraries.resolver()));
        return null;
    }

    @Override
    public Void eval(JavaKernel kernel, List<String> args, String body) {
        if (!args.isEmpty()) {
            throw new MagicException("%%loadFromPOM takes no arguments: the cell holds the POM or its <dependencies>");
        }
        load(kernel, PomDependencies.parse(body, libraries.resolver()));
        return null;
    }

    private void load(JavaKernel kernel, PomDependencies pom) {
        if (pom.dependencies().isEmpty()) {
            throw new MagicException("the POM has no compile or runtime dependencies to load");
        }
        libraries.load(kernel, pom.dependencies(), pom.managed(), pom.repositories());
    }
}
