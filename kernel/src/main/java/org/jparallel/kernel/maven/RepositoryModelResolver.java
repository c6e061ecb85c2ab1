package org.jparallel.kernel.maven;

import org.apache.maven.model.Dependency;
import org.apache.maven.model.Parent;
import org.apache.maven.model.Repository;
import org.apache.maven.model.building.FileModelSource;
import org.apache.maven.model.building.ModelSource;
import org.apache.maven.model.resolution.ModelResolver;
import org.apache.maven.model.resolution.UnresolvableModelException;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the parent POMs and imported BOMs that Maven's model builder asks for, with Maven Resolver, in
 * the notebook's repositories and those the POM itself declares.
 */
final class RepositoryModelResolver implements ModelResolver {

    private final RepositorySystem system;
    private final RepositorySystemSession session;
    private final List<RemoteRepository> repositories;

    RepositoryModelResolver(RepositorySystem system, RepositorySystemSession session, List<RemoteRepository> repositories) {
        this.system = system;
        this.session = session;
        this.repositories = new ArrayList<>(repositories);
    }

    @Override
    public ModelSource resolveModel(String groupId, String artifactId, String version) throws UnresolvableModelException {
        try {
            ArtifactRequest request = new ArtifactRequest(new DefaultArtifact(groupId, artifactId, "", "pom", version),
                    repositories, null);
            return new FileModelSource(system.resolveArtifact(session, request).getArtifact().getPath().toFile());
        } catch (ArtifactResolutionException e) {
            throw new UnresolvableModelException(e.getMessage(), groupId, artifactId, version, e);
        }
    }

    @Override
    public ModelSource resolveModel(Parent parent) throws UnresolvableModelException {
        return resolveModel(parent.getGroupId(), parent.getArtifactId(), parent.getVersion());
    }

    @Override
    public ModelSource resolveModel(Dependency dependency) throws UnresolvableModelException {
        return resolveModel(dependency.getGroupId(), dependency.getArtifactId(), dependency.getVersion());
    }

    @Override
    public void addRepository(Repository repository) {
        addRepository(repository, false);
    }

    @Override
    public void addRepository(Repository repository, boolean replace) {
        RemoteRepository added = new RemoteRepository.Builder(repository.getId(), "default", repository.getUrl()).build();
        repositories.removeIf(r -> replace && r.getId().equals(added.getId()));
        if (repositories.stream().noneMatch(r -> r.getId().equals(added.getId()))) {
            repositories.addAll(system.newResolutionRepositories(session, List.of(added)));
        }
    }

    @Override
    public ModelResolver newCopy() {
        return new RepositoryModelResolver(system, session, repositories);
    }
}
