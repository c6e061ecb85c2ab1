package org.jparallel.kernel.maven;

import org.eclipse.aether.artifact.Artifact;

import java.nio.file.Path;

/**
 * A jar that resolution brought: its artifact (with the version chosen), its file in the local
 * repository, and whether this resolution downloaded it (else the local repository had it).
 */
public record ResolvedJar(Artifact artifact, Path file, boolean downloaded) {

    /** {@code groupId:artifactId[:classifier]}, without the version. */
    public String key() {
        return Coordinates.key(artifact);
    }

    @Override
    public String toString() {
        return artifact + (downloaded ? " (downloaded)" : " (local repository)");
    }
}
