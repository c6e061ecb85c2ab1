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
 *
 * <p>The kernel's own jars (its class path: Jupyter, JShell's helpers, Maven Resolver) are the parent of
 * the notebook's class loader, so their classes win over a notebook jar's in the kernel JVM, while a
 * worker, which carries jparallel-core's jars only, loads the notebook's. Another version of one of those
 * is not refused (a library depending on an older slf4j-api would never load), but named: see
 * {@link #shadowedByKernel}.
 */
public final class LoadedLibraries {

    private final Map<Path, JarIdentity> resolved = new LinkedHashMap<>();
    private final List<Path> kernelClasspath;
    private Map<String, JarIdentity> kernelJars;

    /** @param kernelClasspath the jars of the notebook class loader's parent (the kernel's class path) */
    public LoadedLibraries(List<Path> kernelClasspath) {
        this.kernelClasspath = List.copyOf(kernelClasspath);
    }

    /** Records jars that resolution brought and that were added to the class path. */
    public void recordResolved(List<ResolvedJar> jars) {
        for (ResolvedJar j : jars) {
            resolved.put(j.file().toAbsolutePath().normalize(), JarIdentity.of(j));
        }
    }

    private Map<String, JarIdentity> identify(List<Path> classpath) {
        Map<String, JarIdentity> known = new LinkedHashMap<>();
        for (Path p : classpath) {
            Path normal = p.toAbsolutePath().normalize();
            JarIdentity id = resolved.containsKey(normal) ? resolved.get(normal) : JarIdentity.read(normal);
            if (id != null) {
                known.putIfAbsent(id.key(), id);
            }
        }
        return known;
    }

    /**
     * The jars of {@code jars} not loaded yet.
     *
     * @param classpath the notebook's class path now
     * @throws LibraryConflictException when one is another version of a library on the class path
     */
    public List<ResolvedJar> notYetLoaded(List<ResolvedJar> jars, List<Path> classpath) {
        Map<String, JarIdentity> loaded = identify(classpath);
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

    /**
     * One line for each jar of {@code jars} of which the kernel has another version, naming both: in the
     * notebook the kernel's classes are used, on workers the notebook's.
     */
    public List<String> shadowedByKernel(List<ResolvedJar> jars) {
        if (kernelJars == null) {
            kernelJars = identify(kernelClasspath);
        }
        List<String> notes = new ArrayList<>();
        for (ResolvedJar j : jars) {
            JarIdentity kernel = kernelJars.get(j.key());
            if (kernel != null && !kernel.version().equals(j.artifact().getBaseVersion())) {
                notes.add(j.key() + ":" + j.artifact().getBaseVersion() + " (" + j.file().getFileName()
                        + "): the kernel has version " + kernel.version() + " (" + kernel.jar().getFileName()
                        + "), whose classes the notebook sees; workers use " + j.artifact().getBaseVersion());
            }
        }
        return notes;
    }
}
