package org.jparallel.kernel.magic;

import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.RemoteRepository;
import org.jparallel.kernel.JavaKernel;
import org.jparallel.kernel.maven.LibraryResolver;
import org.jparallel.kernel.maven.LoadedLibraries;
import org.jparallel.kernel.maven.MavenSettings;
import org.jparallel.kernel.maven.ResolvedJar;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The Maven libraries of one notebook, shared by {@code %maven}, {@code %mavenRepo} and
 * {@code %loadFromPOM}: the resolver (made at first use, so a broken settings.xml is reported in the cell
 * that needs it) and what was loaded. Jars join the notebook's class path the way {@code %classpath}
 * adds them, so every worker gets them, those running and those started later.
 */
public final class NotebookLibraries {

    private LibraryResolver resolver;
    private final LoadedLibraries loaded = new LoadedLibraries(
            Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                    .filter(e -> !e.isBlank()).map(Path::of).toList());

    synchronized LibraryResolver resolver() {
        if (resolver == null) {
            resolver = new LibraryResolver(MavenSettings.load());
        }
        return resolver;
    }

    /**
     * Resolves, checks for conflicts, then adds: when anything fails, nothing was added. Prints what was
     * resolved, one artifact a line.
     */
    synchronized void load(JavaKernel kernel, List<Dependency> dependencies, List<Dependency> managed,
                           List<RemoteRepository> extra) {
        List<ResolvedJar> jars;
        try (ResolutionProgress progress = ResolutionProgress.open(kernel)) {
            jars = resolver().resolve(dependencies, managed, extra, progress);
        }
        List<ResolvedJar> added = loaded.notYetLoaded(jars, addedSoFar(kernel));
        if (!added.isEmpty()) {
            kernel.evaluator().addToClasspath(added.stream().map(j -> j.file().toString())
                    .collect(Collectors.joining(File.pathSeparator)));
            loaded.recordResolved(added);
        }
        System.out.println(report(jars, added));
        loaded.shadowedByKernel(added).forEach(note -> System.out.println("Note: " + note));
    }

    /** What the notebook added to its class path, by the paths the user gave (each also has a cached copy). */
    private static List<Path> addedSoFar(JavaKernel kernel) {
        return kernel.evaluator().loader().jars().stream().map(j -> Path.of(j.name())).toList();
    }

    private static String report(List<ResolvedJar> jars, List<ResolvedJar> added) {
        StringBuilder out = new StringBuilder();
        out.append("Resolved ").append(jars.size()).append(jars.size() == 1 ? " artifact" : " artifacts")
                .append(", added ").append(added.size()).append(" to the class path:");
        for (ResolvedJar j : jars) {
            out.append("\n  ").append(j.artifact().getGroupId()).append(':').append(j.artifact().getArtifactId())
                    .append(j.artifact().getClassifier().isEmpty() ? "" : ":" + j.artifact().getClassifier())
                    .append(' ').append(j.artifact().getVersion())
                    .append(!added.contains(j) ? "  already loaded"
                            : j.downloaded() ? "  downloaded" : "  from the local repository");
        }
        return out.toString();
    }
}
