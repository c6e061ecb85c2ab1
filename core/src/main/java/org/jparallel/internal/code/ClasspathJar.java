package org.jparallel.internal.code;

import java.nio.file.Path;

/**
 * A classpath entry as it travels: its content's SHA-256 (lower-case hex) identifies it; {@code name} is what
 * the user added (the absolute path of a jar or directory on the kernel's host), for messages; {@code file} is its copy in this host's
 * {@link JarCache}.
 */
public record ClasspathJar(String name, String sha256, long size, Path file) {
}
