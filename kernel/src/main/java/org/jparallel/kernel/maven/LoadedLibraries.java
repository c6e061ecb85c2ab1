package org.jparallel.kernel.maven;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The libraries a notebook has loaded, by {@code groupId:artifactId[:classifier]}: those resolution
 * brought and, for other jars on its class path, what their pom.properties say. Decides what a new
 * resolution adds: nothing twice, and never a second version of a library, since the JVM cannot unload
 * a class and the first version loaded would keep being used.
 */
public final class LoadedLibraries {

    private final Map<Path, JarIdentity> resolved = new LinkedHashMap<>();

    /** Records jars that resolution brought and that were added to the class path. */
    public void recordResolved(List<ResolvedJar> jars) {
        for (ResolvedJar j : jars) {
            resolved.put(j.file().toAbsolutePath().normalize(), JarIdentity.of(j));
        }
    }

    /**
     * The jars of {@code jars} not loaded yet.
     *
     * @param classpath the notebook's class path now
     * @throws LibraryConflictException when one is another version of a library on the class path
     */
    public List<ResolvedJar> notYetLoaded(List<ResolvedJar> jars, List<Path> classpath) {
        Map<String, JarIdentity> loaded = new LinkedHashMap<>();
        for (Path p : classpath) {
            Path normal = p.toAbsolutePath().normalize();
            JarIdentity id = resolved.containsKey(normal) ? resolved.get(normal) : JarIdentity.read(normal);
            if (id != null) {
                loaded.putIfAbsent(id.key(), id);
            }
        }
        List<ResolvedJar> added = new ArrayList<>();
        for (ResolvedJar j : jars) {
            JarIdentity before = loaded.get(j.key());
            String version = j.artifact().getBaseVersion();
            if (before == null) {
                added.add(j);
            } else if (!before.version().equals(version)) {
                throw new LibraryConflictException(j.key() + ":" + version + " (" + j.file().getFileName()
                        + ") conflicts with version " + before.version() + " already loaded from " + before.jar()
                        + "; the JVM cannot unload a class: restart the kernel to change versions");
            }
        }
        return added;
    }
}
