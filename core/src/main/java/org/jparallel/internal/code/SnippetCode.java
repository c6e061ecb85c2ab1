package org.jparallel.internal.code;

import org.jparallel.api.NotSendableException;
import org.jparallel.internal.codec.ValueCodec;
import org.jparallel.internal.wire.Message;

import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The snippets a {@link SnippetLoader} holds, as a {@link CodeSource} (a notebook's, what a worker received,
 * what was typed in {@code jshell}): every snippet class JShell compiled and every classpath addition is
 * shipped to workers, and a function carries the current values of the notebook variables
 * its code reads (found in the compiled bytes by {@link VariableReads}).
 *
 * <p>Variables declared by {@code %%parallel} cells live on the workers, not in the kernel: they are
 * {@linkplain #declaredOnWorkers registered} and never sent from here. Thread-safe.
 */
public final class SnippetCode implements CodeSource {

    private final Function<StackTraceElement, String> framePlacer;
    private final String workerClasspath;
    private final SnippetLoader loader;
    private final VariableReads reads;
    private final Set<String> workerClasses = ConcurrentHashMap.newKeySet();

    /**
     * The code this loader holds, its frames placed by {@code framePlacer} (a notebook names its cells and
     * lines; elsewhere {@code StackTraceElement::toString}), for workers that start with this class path.
     */
    public SnippetCode(SnippetLoader loader, Function<StackTraceElement, String> framePlacer, String workerClasspath) {
        this.framePlacer = framePlacer;
        this.workerClasspath = workerClasspath;
        this.loader = loader;
        this.reads = new VariableReads(name -> loader.compiledClassBytes(name), this::snippetClassNames);
    }

    private Collection<String> snippetClassNames() {
        return loader.compiledClasses().keySet();
    }

    /** Snippet classes run on workers by {@code %%parallel}: their variables live there. */
    public void declaredOnWorkers(Collection<String> snippetClasses) {
        workerClasses.addAll(snippetClasses);
    }

    @Override
    public int classCount() {
        return loader.compiledClassCount();
    }

    @Override
    public int classpathCount() {
        return loader.jars().size();
    }

    @Override
    public Message.DefineCode codeAfter(int classes, int classpath) {
        List<ClasspathJar> jars = loader.jars();
        return new Message.DefineCode(loader.compiledClassesAfter(classes),
                CodeSource.references(jars.subList(Math.min(classpath, jars.size()), jars.size())));
    }

    @Override
    public ClasspathJar jar(String sha256) {
        return loader.jar(sha256);
    }

    @Override
    public List<Message.Variable> variablesReadBy(Object function, ValueCodec values) throws NotSendableException {
        Set<VariableRef> refs = new LinkedHashSet<>();
        SerializedLambda lambda = serializedForm(function);
        if (lambda != null) {
            refs.addAll(readByLambda(lambda));
        } else {
            for (Method m : function.getClass().getMethods()) {
                if (!m.isDefault() && !m.getDeclaringClass().isInterface()) {
                    refs.addAll(reads.readBy(function.getClass().getName(), m.getName(), null));
                }
            }
        }
        return valuesOf(refs, Set.of(), values);
    }

    /**
     * What a lambda's code reads, and the code of the lambdas it captured: a lambda handed to a notebook
     * method ({@code race(() -> counter.incrementAndGet())}) runs on the worker inside the lambda that
     * captured it, so the variables it reads must go too.
     */
    private Set<VariableRef> readByLambda(SerializedLambda lambda) {
        Set<VariableRef> refs = new LinkedHashSet<>();
        List<SerializedLambda> pending = new ArrayList<>(List.of(lambda));
        Set<String> seen = new HashSet<>();
        while (!pending.isEmpty()) {
            SerializedLambda next = pending.remove(pending.size() - 1);
            String impl = next.getImplClass().replace('/', '.');
            if (seen.add(impl + "." + next.getImplMethodName() + next.getImplMethodSignature())) {
                refs.addAll(reads.readBy(impl, next.getImplMethodName(), next.getImplMethodSignature()));
            }
            for (int i = 0; i < next.getCapturedArgCount(); i++) {
                Object captured = next.getCapturedArg(i);
                SerializedLambda inner = captured == null ? null : serializedForm(captured);
                if (inner != null) {
                    pending.add(inner);
                }
            }
        }
        return refs;
    }

    @Override
    public List<Message.Variable> variablesReadBySnippets(List<String> snippetClasses, ValueCodec values)
            throws NotSendableException {
        Set<VariableRef> refs = new LinkedHashSet<>();
        for (String cls : snippetClasses) {
            refs.addAll(reads.readBy(cls, "do_it$", null));
        }
        return valuesOf(refs, Set.copyOf(snippetClasses), values);
    }

    private List<Message.Variable> valuesOf(Set<VariableRef> refs, Set<String> declaredHere, ValueCodec values)
            throws NotSendableException {
        List<Message.Variable> variables = new ArrayList<>();
        Set<VariableRef> seen = new LinkedHashSet<>();
        List<VariableRef> pending = new ArrayList<>(refs);
        while (!pending.isEmpty()) {
            VariableRef ref = pending.remove(pending.size() - 1);
            if (!seen.add(ref) || declaredHere.contains(ref.className()) || workerClasses.contains(ref.className())) {
                continue;
            }
            Object value;
            try {
                Field field = Class.forName(ref.className(), true, loader.classLoader()).getDeclaredField(ref.fieldName());
                field.setAccessible(true);
                value = field.get(null);
            } catch (ReflectiveOperationException | LinkageError e) {
                continue; // a variable that no longer exists in the kernel: nothing to send
            }
            variables.add(new Message.Variable(ref.className(), ref.fieldName(), values.encode(value, ref.fieldName())));
            // a lambda held in a variable runs on the worker too: what it reads must go as well
            SerializedLambda lambda = value == null ? null : serializedForm(value);
            if (lambda != null) {
                pending.addAll(readByLambda(lambda));
            }
        }
        return variables;
    }

    /** The serialized form of a serializable lambda or method reference, or null for other objects. */
    private static SerializedLambda serializedForm(Object function) {
        Class<?> type = function.getClass();
        if (!type.isSynthetic() && !type.isHidden()) {
            return null;
        }
        try {
            Method writeReplace = type.getDeclaredMethod("writeReplace");
            writeReplace.setAccessible(true);
            Object form = writeReplace.invoke(function);
            return form instanceof SerializedLambda ? (SerializedLambda) form : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public String placeFrame(StackTraceElement frame) {
        return framePlacer.apply(frame);
    }

    @Override
    public String workerClasspath() {
        return workerClasspath;
    }

    @Override
    public ClassLoader classLoader() {
        return loader.classLoader();
    }
}
