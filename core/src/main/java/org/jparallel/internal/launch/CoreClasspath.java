package org.jparallel.internal.launch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.dataformat.smile.SmileFactory;
import org.jparallel.internal.worker.WorkerMain;
import org.objectweb.asm.ClassReader;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The class path of jparallel-core and of the libraries a worker needs (Jackson's Smile codec, ASM, SLF4J),
 * found from where their classes were loaded: jars once installed, {@code target/classes} in a build. A
 * worker that runs notebook or jshell code starts with this alone, not with the kernel's libraries.
 */
public final class CoreClasspath {

    /** A class of each part; SLF4J's binding is found by its service file, so it is named by its provider. */
    private static final String[] PARTS = {"org.slf4j.simple.SimpleServiceProvider"};

    private static final String CLASSPATH = compute();

    private CoreClasspath() {
    }

    /** The class path, entries separated by the platform's separator. */
    public static String get() {
        return CLASSPATH;
    }

    private static String compute() {
        Set<String> entries = new LinkedHashSet<>();
        for (Class<?> part : new Class<?>[]{WorkerMain.class, JsonFactory.class, SmileFactory.class, ClassReader.class,
                LoggerFactory.class}) {
            entries.add(location(part));
        }
        for (String name : PARTS) {
            try {
                entries.add(location(Class.forName(name, false, CoreClasspath.class.getClassLoader())));
            } catch (ClassNotFoundException e) {
                // no binding: workers log nowhere, as this JVM does
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static String location(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw new IllegalStateException("cannot tell where " + type.getName() + " was loaded from");
        }
        try {
            return Path.of(source.getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("not a file location: " + source.getLocation(), e);
        }
    }
}
