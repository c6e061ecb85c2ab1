package org.jparallel.internal.code;

import org.jparallel.api.NotSendableException;
import org.jparallel.internal.codec.ValueCodec;
import org.jparallel.internal.wire.Message;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the code that workers run comes from. In a notebook it is the kernel's JShell: snippet classes
 * and classpath additions must be shipped, and the notebook variables a function reads must be sent
 * with it. In a plain Java program everything is already on the workers' classpath.
 */
public interface CodeSource {

    /** How many classes and classpath jars exist so far; a worker that has fewer needs {@link #codeAfter}. */
    int classCount();

    int classpathCount();

    /** The classes and classpath jars (by reference) after the first {@code classes} and {@code classpath}. */
    Message.DefineCode codeAfter(int classes, int classpath);

    /** The classpath jar with this SHA-256, whose bytes a worker may ask for; null if there is none. */
    ClasspathJar jar(String sha256);

    /**
     * The current values of the notebook variables that this function's code reads, encoded with {@code values}
     * (which knows whether they may reach another host).
     */
    List<Message.Variable> variablesReadBy(Object function, ValueCodec values) throws NotSendableException;

    /** The current values of the notebook variables that these snippets' code reads, encoded with {@code values}. */
    List<Message.Variable> variablesReadBySnippets(List<String> snippetClasses, ValueCodec values)
            throws NotSendableException;

    /** A frame of a worker's stack as the user should read it, or null to leave it out of the trace. */
    String placeFrame(StackTraceElement frame);

    /** The loader that results are decoded with. */
    ClassLoader classLoader();

    /**
     * The class path workers start with. Plain Java: this JVM's, where the program's own classes are. A
     * notebook: jparallel-core and its libraries only ({@code launch.CoreClasspath}), the snippets and their jars
     * being shipped.
     */
    String workerClasspath();

    /** For plain Java programs: no notebook, full stack traces. */
    CodeSource PLAIN = new CodeSource() {
        @Override
        public int classCount() {
            return 0;
        }

        @Override
        public int classpathCount() {
            return 0;
        }

        @Override
        public Message.DefineCode codeAfter(int classes, int classpath) {
            return new Message.DefineCode(java.util.Map.of(), List.of());
        }

        @Override
        public ClasspathJar jar(String sha256) {
            return null;
        }

        @Override
        public List<Message.Variable> variablesReadBy(Object function, ValueCodec values) {
            return List.of();
        }

        @Override
        public List<Message.Variable> variablesReadBySnippets(List<String> snippetClasses, ValueCodec values) {
            return List.of();
        }

        @Override
        public String placeFrame(StackTraceElement frame) {
            return frame.toString();
        }

        @Override
        public ClassLoader classLoader() {
            ClassLoader context = Thread.currentThread().getContextClassLoader();
            return context != null ? context : CodeSource.class.getClassLoader();
        }

        @Override
        public String workerClasspath() {
            return System.getProperty("java.class.path");
        }
    };

    /** How jars travel in a {@link Message.DefineCode}: by content. */
    static List<Message.Jar> references(List<ClasspathJar> jars) {
        List<Message.Jar> references = new ArrayList<>(jars.size());
        for (ClasspathJar jar : jars) {
            references.add(new Message.Jar(jar.name(), jar.sha256(), jar.size()));
        }
        return references;
    }
}
