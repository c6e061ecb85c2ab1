package org.jparallel.kernel.magic;

import org.jparallel.internal.code.ClasspathJar;
import org.jparallel.kernel.JavaKernel;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code %classpath PATH...}: adds jars or class directories to the notebook's classpath (compiler and
 * runtime) and installs any kernel extensions they hold. Without arguments, prints the additions.
 */
public final class ClasspathMagic implements org.dflib.jjava.jupyter.kernel.magic.LineMagic<Void, JavaKernel> {

    @Override
    public Void eval(JavaKernel kernel, List<String> args) {
        if (args.isEmpty()) {
            List<ClasspathJar> jars = kernel.evaluator().loader().jars();
            System.out.println(jars.isEmpty() ? "(nothing added to the classpath)"
                    : jars.stream().map(ClasspathJar::name).collect(Collectors.joining("\n")));
            return null;
        }
        add(kernel, args.stream().flatMap(a -> List.of(a.split(File.pathSeparator)).stream())
                .map(Path::of).collect(Collectors.toList()));
        return null;
    }

    /** Adds existing paths, or fails naming the first one that does not exist. */
    static void add(JavaKernel kernel, List<Path> paths) {
        for (Path p : paths) {
            if (!Files.exists(p)) {
                throw new MagicException("no such file or directory: " + p.toAbsolutePath());
            }
        }
        String joined = paths.stream().map(p -> p.toAbsolutePath().normalize().toString())
                .collect(Collectors.joining(File.pathSeparator));
        kernel.evaluator().addToClasspath(joined);
        kernel.installExtensionsFrom(joined);
    }
}
