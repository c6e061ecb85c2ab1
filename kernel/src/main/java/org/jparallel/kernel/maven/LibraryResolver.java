package org.jparallel.kernel.maven;

import org.eclipse.aether.RepositoryEvent;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.AbstractRepositoryListener;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.supplier.SessionBuilderSupplier;
import org.eclipse.aether.transfer.TransferListener;
import org.eclipse.aether.util.artifact.JavaScopes;
import org.eclipse.aether.util.filter.DependencyFilterUtils;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves Maven artifacts with their runtime dependencies, as Maven does: Maven Resolver wired as in
 * Maven 3 ({@link RepositorySystemSupplier}), the user's settings ({@link MavenSettings}: local
 * repository, offline, mirrors, proxies, credentials), Maven Central, the repositories of the settings'
 * active profiles, and those added with {@link #addRepository}. Not thread-safe: the kernel resolves for one cell at a time.
 */
public final class LibraryResolver implements AutoCloseable {

    /** Maven Central, as Maven's super POM names it. */
    public static final RemoteRepository CENTRAL =
            new RemoteRepository.Builder("central", "default", "https://repo.maven.apache.org/maven2/").build();

    private final MavenSettings settings;
    private final RepositorySystem system;
    private final Map<String, RemoteRepository> repositories = new LinkedHashMap<>();

    public LibraryResolver(MavenSettings settings) {
        this.settings = settings;
        this.system = new RepositorySystemSupplier().get();
        repositories.put(CENTRAL.getId(), CENTRAL);
        settings.profileRepositories().forEach(r -> repositories.putIfAbsent(r.getId(), r));
    }

    /** The settings resolution follows. */
    public MavenSettings settings() {
        return settings;
    }

    /** The repositories searched, in order (before mirrors apply). */
    public List<RemoteRepository> repositories() {
        return List.copyOf(repositories.values());
    }

    /**
     * Adds a repository (or replaces the one with this id) searched after those before it.
     *
     * @throws BadRepositoryException when the URL is not an absolute http, https or file URL
     */
    public RemoteRepository addRepository(String id, String url) {
        if (!id.matches("[A-Za-z0-9_.\\-]+")) {
            throw new BadRepositoryException("bad repository id '" + id + "': use letters, digits, '.', '-' or '_'");
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (!Set.of("http", "https", "file").contains(scheme) || uri.getSchemeSpecificPart().isEmpty()) {
                throw new BadRepositoryException("bad repository URL '" + url + "': expected http://, https:// or file://");
            }
        } catch (URISyntaxException e) {
            throw new BadRepositoryException("bad repository URL '" + url + "': " + e.getReason());
        }
        RemoteRepository added = new RemoteRepository.Builder(id, "default", url).build();
        repositories.put(id, added);
        return added;
    }

    /**
     * Removes the repository with this id.
     *
     * @throws BadRepositoryException when there is none
     */
    public void removeRepository(String id) {
        if (repositories.remove(id) == null) {
            throw new BadRepositoryException("no repository '" + id + "'; there are: " + String.join(", ", repositories.keySet()));
        }
    }

    /**
     * Resolves these dependencies and their runtime dependencies, nearest version winning as in Maven.
     *
     * @param managed  versions and scopes for transitive dependencies (a POM's dependencyManagement), may be empty
     * @param extra    repositories to search after the notebook's for this resolution only (a POM's)
     * @param progress told of every transfer (downloads and checks)
     * @return the jars in class path order, each once (a POM-only artifact brings its dependencies' jars)
     * @throws UnknownArtifactException        when an artifact is in no repository tried
     * @throws RepositoryUnreachableException  when a repository could not be reached
     * @throws LibraryConflictException        when two of {@code dependencies} are versions of one library
     */
    public List<ResolvedJar> resolve(List<Dependency> dependencies, List<Dependency> managed,
                                     List<RemoteRepository> extra, TransferListener progress) {
        Map<String, String> asked = new LinkedHashMap<>();
        for (Dependency d : dependencies) {
            String version = asked.putIfAbsent(Coordinates.key(d.getArtifact()), d.getArtifact().getVersion());
            if (version != null && !version.equals(d.getArtifact().getVersion())) {
                throw new LibraryConflictException(Coordinates.key(d.getArtifact()) + " is asked for twice, as " + version
                        + " and as " + d.getArtifact().getVersion() + ": one version of a library can be loaded");
            }
        }
        Set<String> downloaded = ConcurrentHashMap.newKeySet();
        try (RepositorySystemSession.CloseableSession session = session(progress, downloaded)) {
            List<RemoteRepository> searched = new ArrayList<>(repositories.values());
            searched.addAll(extra);
            CollectRequest collect = new CollectRequest(dependencies, managed,
                    system.newResolutionRepositories(session, searched));
            DependencyRequest request = new DependencyRequest(collect,
                    DependencyFilterUtils.classpathFilter(JavaScopes.RUNTIME));
            List<ResolvedJar> jars = new ArrayList<>();
            for (ArtifactResult r : system.resolveDependencies(session, request).getArtifactResults()) {
                Artifact a = r.getArtifact();
                if (!a.getExtension().equals("jar")) {
                    continue; // a POM (G:A:pom:V, a BOM or an aggregator) is no class path entry
                }
                jars.add(new ResolvedJar(a, a.getPath(), downloaded.contains(a.toString())));
            }
            return jars;
        } catch (DependencyResolutionException e) {
            throw ResolutionFailures.explain(e, settings);
        }
    }

    /** A session on the user's settings; the caller closes it. */
    RepositorySystemSession.CloseableSession session(TransferListener progress, Set<String> downloaded) {
        RepositorySystemSession.SessionBuilder builder = new SessionBuilderSupplier(system).get();
        builder.withLocalRepositoryBaseDirectories(settings.localRepository());
        builder.setSystemProperties(System.getProperties());
        settings.configure(builder);
        builder.setTransferListener(progress);
        builder.setRepositoryListener(new AbstractRepositoryListener() {
            @Override
            public void artifactDownloaded(RepositoryEvent event) {
                if (event.getException() == null) {
                    downloaded.add(event.getArtifact().toString());
                }
            }
        });
        return builder.build();
    }

    /** The repository system, for reading POMs with the same repositories ({@link PomDependencies}). */
    RepositorySystem system() {
        return system;
    }

    /** The repositories as a session searches them (mirrors and credentials applied). */
    List<RemoteRepository> resolutionRepositories(RepositorySystemSession session) {
        return system.newResolutionRepositories(session, repositories());
    }

    @Override
    public void close() {
        system.shutdown();
    }

    /** Where the local repository is, for messages: {@code ~} for the home directory. */
    static String shortPath(Path p) {
        String home = System.getProperty("user.home");
        String s = p.toAbsolutePath().toString();
        return s.startsWith(home + "/") ? "~" + s.substring(home.length()) : s;
    }
}
