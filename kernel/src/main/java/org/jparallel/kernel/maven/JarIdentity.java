package org.jparallel.kernel.maven;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * Which Maven artifact a jar on the class path is: as resolution named it, or as the
 * {@code META-INF/maven/.../pom.properties} that Maven packs into a jar says.
 *
 * @param key     {@code groupId:artifactId[:classifier]}
 * @param version the version
 * @param jar     the file
 */
public record JarIdentity(String key, String version, Path jar) {

    /** The artifact that resolution brought as this jar. */
    public static JarIdentity of(ResolvedJar resolved) {
        return new JarIdentity(resolved.key(), resolved.artifact().getBaseVersion(), resolved.file());
    }

    /**
     * The artifact a jar says it is in its pom.properties, or null when it says nothing (a jar not built
     * by Maven, a directory).
     */
    public static JarIdentity read(Path jar) {
        if (!Files.isRegularFile(jar) || !jar.getFileName().toString().endsWith(".jar")) {
            return null;
        }
        return fromPomProperties(jar);
    }

    private static JarIdentity fromPomProperties(Path jar) {
        String name = jar.getFileName().toString();
        try (JarFile file = new JarFile(jar.toFile())) {
            List<Properties> all = new ArrayList<>();
            for (Enumeration<? extends ZipEntry> e = file.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                if (entry.getName().startsWith("META-INF/maven/") && entry.getName().endsWith("/pom.properties")) {
                    Properties p = new Properties();
                    try (InputStream in = file.getInputStream(entry)) {
                        p.load(in);
                    }
                    all.add(p);
                }
            }
            // a shaded jar holds the properties of everything it packs: take the one the file is named after
            for (Properties p : all) {
                String artifactId = p.getProperty("artifactId");
                String version = p.getProperty("version");
                if (all.size() == 1 || artifactId != null && name.startsWith(artifactId + "-" + version)) {
                    return artifactId == null || version == null || p.getProperty("groupId") == null ? null
                            : new JarIdentity(p.getProperty("groupId") + ":" + artifactId, version, jar);
                }
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }
}
