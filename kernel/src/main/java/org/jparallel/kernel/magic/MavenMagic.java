package org.jparallel.kernel.magic;

import org.dflib.jjava.jupyter.kernel.magic.LineMagic;
import org.eclipse.aether.graph.Dependency;
import org.jparallel.kernel.JavaKernel;
import org.jparallel.kernel.maven.Coordinates;

import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code %maven GROUP:ARTIFACT:VERSION...}: resolves the artifacts and their runtime dependencies with
 * Maven's resolver and adds the jars to the notebook and every worker. Imports nothing. Without
 * arguments, shows the settings and repositories used.
 */
public final class MavenMagic implements LineMagic<Void, JavaKernel> {

    private final NotebookLibraries libraries;

    public MavenMagic(NotebookLibraries libraries) {
        this.libraries = libraries;
    }

    @Override
    public Void eval(JavaKernel kernel, List<String> args) {
        if (args.isEmpty()) {
            System.out.println(libraries.resolver().settings() + "\nRepositories: "
                    + MavenRepoMagic.describe(libraries.resolver().repositories()));
            return null;
        }
        List<Dependency> dependencies = args.stream()
                .map(a -> new Dependency(Coordinates.parse(a), "runtime")).collect(Collectors.toList());
        libraries.load(kernel, dependencies, List.of(), List.of());
        return null;
    }
}
