package org.jparallel.internal.code;

import org.jparallel.api.NotSendableException;
import org.jparallel.internal.codec.ValueCodec;
import org.jparallel.internal.wire.Message;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A code source with jars of one pool's own ({@code WorkerPool.Builder.classpath}) that its workers get before
 * the code source's own: added to this host's {@link JarCache} when the pool starts and sent like any other
 * classpath jar, by content. Results are decoded by the code source's class loader, as Dask decodes what
 * {@code upload_file} modules return with the client's own modules.
 */
public final class PoolClasspath implements CodeSource {

    private final CodeSource base;
    private final List<ClasspathJar> jars;

    private PoolClasspath(CodeSource base, List<ClasspathJar> jars) {
        this.base = base;
        this.jars = List.copyOf(jars);
    }

    /**
     * {@code base} with these jars and directories (packed) first; {@code base} itself when there are none.
     *
     * @throws IOException naming the entry, if one does not exist or cannot be cached
     */
    public static CodeSource of(CodeSource base, List<Path> entries) throws IOException {
        if (entries.isEmpty()) {
            return base;
        }
        JarCache cache = JarCache.forUser();
        List<ClasspathJar> jars = new ArrayList<>();
        for (Path entry : entries) {
            ClasspathJar jar = cache.add(entry);
            if (jars.stream().noneMatch(j -> j.sha256().equals(jar.sha256()))) {
                jars.add(jar);
            }
        }
        return new PoolClasspath(base, jars);
    }

    @Override
    public int classCount() {
        return base.classCount();
    }

    @Override
    public int classpathCount() {
        return jars.size() + base.classpathCount();
    }

    @Override
    public Message.DefineCode codeAfter(int classes, int classpath) {
        Message.DefineCode after = base.codeAfter(classes, Math.max(0, classpath - jars.size()));
        List<Message.Jar> references = new ArrayList<>(CodeSource.references(
                jars.subList(Math.min(classpath, jars.size()), jars.size())));
        references.addAll(after.jars());
        return new Message.DefineCode(after.classes(), references);
    }

    @Override
    public ClasspathJar jar(String sha256) {
        for (ClasspathJar jar : jars) {
            if (jar.sha256().equals(sha256)) {
                return jar;
            }
        }
        return base.jar(sha256);
    }

    @Override
    public List<Message.Variable> variablesReadBy(Object function, ValueCodec values) throws NotSendableException {
        return base.variablesReadBy(function, values);
    }

    @Override
    public List<Message.Variable> variablesReadBySnippets(List<String> snippetClasses, ValueCodec values)
            throws NotSendableException {
        return base.variablesReadBySnippets(snippetClasses, values);
    }

    @Override
    public String placeFrame(StackTraceElement frame) {
        return base.placeFrame(frame);
    }

    @Override
    public ClassLoader classLoader() {
        return base.classLoader();
    }

    @Override
    public String workerClasspath() {
        return base.workerClasspath();
    }
}
