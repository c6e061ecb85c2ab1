package org.jparallel.kernel.maven;

import org.apache.maven.model.Model;
import org.apache.maven.model.building.DefaultModelBuilderFactory;
import org.apache.maven.model.building.DefaultModelBuildingRequest;
import org.apache.maven.model.building.FileModelSource;
import org.apache.maven.model.building.ModelBuildingException;
import org.apache.maven.model.building.ModelBuildingRequest;
import org.apache.maven.model.building.ModelSource;
import org.apache.maven.model.building.StringModelSource;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.ArtifactType;
import org.eclipse.aether.artifact.ArtifactTypeRegistry;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.graph.Exclusion;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.util.artifact.JavaScopes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * What a POM asks for, read by Maven's model builder (parents and imported BOMs resolved from the
 * notebook's repositories, properties interpolated, dependencyManagement applied): its compile and
 * runtime dependencies, its dependencyManagement (for transitive versions) and its repositories.
 *
 * @param dependencies the dependencies to resolve, test, provided and system scopes left out
 * @param managed      the POM's dependencyManagement
 * @param repositories the repositories the POM declares
 */
public record PomDependencies(List<Dependency> dependencies, List<Dependency> managed,
                              List<RemoteRepository> repositories) {

    private static final Set<String> LOADED_SCOPES = Set.of("", JavaScopes.COMPILE, JavaScopes.RUNTIME);
    private static final Pattern WHOLE_POM = Pattern.compile("^\\s*(<\\?xml[^>]*>\\s*)?(<!--.*?-->\\s*)*<project[\\s>]",
            Pattern.DOTALL);

    /**
     * Reads a POM file.
     *
     * @throws PomException when the file is missing or the model builder rejects it
     */
    public static PomDependencies read(Path pom, LibraryResolver resolver) {
        if (!Files.isRegularFile(pom)) {
            throw new PomException("no POM file " + pom.toAbsolutePath(), null);
        }
        return build(new FileModelSource(pom.toFile()), pom.toAbsolutePath().toString(), resolver);
    }

    /**
     * Reads a whole POM or a bare {@code <dependencies>} block (what a {@code %%loadFromPOM} cell holds).
     *
     * @throws PomException when the model builder rejects it
     */
    public static PomDependencies parse(String xml, LibraryResolver resolver) {
        String pom = WHOLE_POM.matcher(xml).find() ? xml
                : "<project><modelVersion>4.0.0</modelVersion><groupId>notebook</groupId>"
                  + "<artifactId>cell</artifactId><version>0</version>" + xml + "</project>";
        return build(new StringModelSource(pom, "the cell"), "the cell's POM", resolver);
    }

    private static PomDependencies build(ModelSource source, String where, LibraryResolver resolver) {
        try (RepositorySystemSession.CloseableSession session = resolver.session(null, ConcurrentHashMap.newKeySet())) {
            DefaultModelBuildingRequest request = new DefaultModelBuildingRequest();
            request.setModelSource(source);
            request.setValidationLevel(ModelBuildingRequest.VALIDATION_LEVEL_MINIMAL);
            request.setProcessPlugins(false);
            request.setTwoPhaseBuilding(false);
            Properties system = new Properties();
            system.putAll(System.getProperties());
            request.setSystemProperties(system);
            request.setModelResolver(new RepositoryModelResolver(resolver.system(), session,
                    resolver.resolutionRepositories(session)));
            Model model;
            try {
                model = new DefaultModelBuilderFactory().newInstance().build(request).getEffectiveModel();
            } catch (ModelBuildingException e) {
                throw new PomException("cannot read " + where + ": " + e.getProblems().get(0).getMessage(), e);
            }
            ArtifactTypeRegistry types = session.getArtifactTypeRegistry();
            List<Dependency> dependencies = model.getDependencies().stream()
                    .filter(d -> LOADED_SCOPES.contains(d.getScope() == null ? "" : d.getScope()))
                    .map(d -> dependency(d, types)).toList();
            List<Dependency> managed = model.getDependencyManagement() == null ? List.of()
                    : model.getDependencyManagement().getDependencies().stream().map(d -> dependency(d, types)).toList();
            List<RemoteRepository> repositories = model.getRepositories().stream()
                    .filter(r -> !r.getId().equals(LibraryResolver.CENTRAL.getId()))
                    .map(r -> new RemoteRepository.Builder(r.getId(), "default", r.getUrl()).build()).toList();
            return new PomDependencies(dependencies, managed, repositories);
        }
    }

    private static Dependency dependency(org.apache.maven.model.Dependency d, ArtifactTypeRegistry types) {
        ArtifactType type = types.get(d.getType());
        String classifier = d.getClassifier() != null ? d.getClassifier() : type != null ? type.getClassifier() : "";
        String extension = type != null ? type.getExtension() : d.getType();
        DefaultArtifact artifact = new DefaultArtifact(d.getGroupId(), d.getArtifactId(), classifier, extension,
                d.getVersion(), type);
        List<Exclusion> exclusions = d.getExclusions().stream()
                .map(x -> new Exclusion(x.getGroupId(), x.getArtifactId(), "*", "*")).toList();
        return new Dependency(artifact, d.getScope(), d.isOptional(), exclusions);
    }
}
