package org.jparallel.internal.launch;

import org.jparallel.internal.code.ClasspathJar;
import org.jparallel.internal.code.JarCache;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A worker's class path for other hosts, by content: each entry of this JVM's worker class path (jparallel-core
 * and its libraries, a program's own classes; a directory packed into a jar) put in this user's {@link JarCache}
 * here, and named on the host by its SHA-256 in the same cache there ({@code $XDG_CACHE_HOME/jparallel/jars}, or
 * {@code ~/.cache/jparallel/jars}). So a host needs only a JDK: what its cache lacks is copied once, through ssh,
 * before its first worker starts; hosts that share this machine's home directory lack nothing.
 */
final class RemoteClasspath {

    /** Shell words that set {@code d} to the host's jar cache (as {@code JarCache.forUser()} finds it there). */
    static final String CACHE = "d=\"${XDG_CACHE_HOME:-$HOME/.cache}/jparallel/jars\"";
    /** What the host's shell prints for a jar its cache lacks, before the digest. */
    static final String MISSING = "jparallel-missing ";

    private final List<ClasspathJar> jars;

    private RemoteClasspath(List<ClasspathJar> jars) {
        this.jars = List.copyOf(jars);
    }

    /** The entries of {@code classpath} that exist (the JVM skips the others too), cached here by content. */
    static RemoteClasspath of(String classpath) throws IOException {
        JarCache cache = JarCache.forUser();
        List<ClasspathJar> jars = new ArrayList<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            if (!entry.isBlank() && Files.exists(Path.of(entry))) {
                jars.add(cache.add(Path.of(entry)));
            }
        }
        return new RemoteClasspath(jars);
    }

    /** Shell commands (after {@link #CACHE}) that print {@link #MISSING} and the digest of each jar the host lacks. */
    String listMissing() {
        return "for s in " + jars.stream().map(ClasspathJar::sha256).collect(Collectors.joining(" "))
                + "; do [ -f \"$d/$s.jar\" ] || echo " + MISSING + "$s; done";
    }

    /** The jars the host lacks, from what {@link #listMissing} printed. */
    List<ClasspathJar> missing(String printed) {
        List<String> lacking = printed.lines().filter(l -> l.startsWith(MISSING))
                .map(l -> l.substring(MISSING.length()).strip()).toList();
        return jars.stream().filter(j -> lacking.contains(j.sha256())).toList();
    }

    /** The {@code -cp} word for the host's shell, double-quoted (after {@link #CACHE}): the cached jars. */
    String shellWord() {
        return "\"" + jars.stream().map(j -> "$d/" + j.sha256() + ".jar").collect(Collectors.joining(":")) + "\"";
    }

    /**
     * Shell commands that store standard input as {@code jar} in the host's cache: under a temporary name (not
     * one a worker's {@code JarCache} would sweep), renamed into place once complete, files 0600.
     */
    static String receive(ClasspathJar jar) {
        return "umask 077; " + CACHE + "; mkdir -p \"$d\" && t=\"$d/.upload-$$\" && cat > \"$t\" && mv \"$t\" \"$d/"
                + jar.sha256() + ".jar\"";
    }
}
