package org.jparallel.kernel.magic;

import org.dflib.jjava.jupyter.kernel.magic.LineMagic;
import org.eclipse.aether.repository.RemoteRepository;
import org.jparallel.kernel.JavaKernel;

import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code %mavenRepo ID URL}: adds a repository that {@code %maven} and {@code %loadFromPOM} search after
 * Maven Central; {@code %mavenRepo --remove ID} removes one; {@code %mavenRepo} lists them.
 */
public final class MavenRepoMagic implements LineMagic<Void, JavaKernel> {

    private static final String USAGE = "usage: %mavenRepo ID URL, %mavenRepo --remove ID, or %mavenRepo to list";

    private final NotebookLibraries libraries;

    public MavenRepoMagic(NotebookLibraries libraries) {
        this.libraries = libraries;
    }

    @Override
    public Void eval(JavaKernel kernel, List<String> args) {
        if (args.size() == 2 && args.get(0).equals("--remove")) {
            libraries.resolver().removeRepository(args.get(1));
        } else if (args.size() == 2) {
            libraries.resolver().addRepository(args.get(0), args.get(1));
        } else if (!args.isEmpty()) {
            throw new MagicException(USAGE);
        }
        System.out.println("Repositories: " + describe(libraries.resolver().repositories()));
        return null;
    }

    static String describe(List<RemoteRepository> repositories) {
        return repositories.stream().map(r -> r.getId() + " " + r.getUrl()).collect(Collectors.joining(", "));
    }
}
