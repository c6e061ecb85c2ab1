package org.jparallel.kernel.magic;

import org.dflib.jjava.jupyter.kernel.magic.LineMagic;
import org.jparallel.kernel.JavaKernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code %jars GLOB...}: adds every jar a glob matches (e.g. {@code lib/*.jar}, {@code libs/**.jar}),
 * or a directory's jars, to the classpath. Prints what was added; a glob matching nothing is an error.
 */
public final class JarsMagic implements LineMagic<List<String>, JavaKernel> {

    @Override
    public List<String> eval(JavaKernel kernel, List<String> args) {
        if (args.isEmpty()) {
            throw new MagicException("usage: %jars GLOB... (for example %jars lib/*.jar)");
        }
        List<Path> jars = new ArrayList<>();
        for (String glob : args) {
            List<Path> found = expand(glob);
            if (found.isEmpty()) {
                throw new MagicException("no jar matches " + glob);
            }
            jars.addAll(found);
        }
        ClasspathMagic.add(kernel, jars);
        return jars.stream().map(Path::toString).collect(Collectors.toList());
    }

    static List<Path> expand(String glob) {
        Path literal = Path.of(glob).toAbsolutePath().normalize();
        if (Files.isRegularFile(literal)) {
            return List.of(literal);
        }
        String pattern = Files.isDirectory(literal) ? literal + "/*.jar" : absoluteGlob(glob);
        int wild = indexOfWildcard(pattern);
        Path base = Path.of(pattern.substring(0, pattern.lastIndexOf('/', wild) + 1));
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(base)) {
            return files.filter(p -> p.toString().endsWith(".jar") && Files.isRegularFile(p))
                    .map(p -> p.toAbsolutePath().normalize())
                    .filter(matcher::matches)
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String absoluteGlob(String glob) {
        return glob.startsWith("/") ? glob : Path.of("").toAbsolutePath() + "/" + glob;
    }

    private static int indexOfWildcard(String glob) {
        for (int i = 0; i < glob.length(); i++) {
            if ("*?[{".indexOf(glob.charAt(i)) >= 0) {
                return i;
            }
        }
        return glob.length();
    }
}
