package org.jparallel.jshell;

import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;
import org.jparallel.internal.code.CodeSources;
import org.jparallel.internal.code.SnippetLoader;

import java.util.List;
import java.util.Map;

/**
 * The engine {@code jparallel} for the JDK's {@code jshell}: {@code jshell --execution jparallel}, with jparallel's
 * jars on the tool's class path ({@code -J--class-path}, where JShell's ServiceLoader finds this provider) and on the
 * snippets' ({@code --class-path}); the {@code jparallel-jshell} launcher passes both.
 *
 * <p>Each engine it generates (one per JShell state: at start and at every {@code /reset}) runs snippets in the
 * tool's JVM and is the code source of the pools and processes started afterwards. Found by ServiceLoader, hence
 * public with a public no-argument constructor.
 */
public final class JShellEngineProvider implements ExecutionControlProvider {

    /** What ServiceLoader calls. */
    public JShellEngineProvider() {
    }

    @Override
    public String name() {
        return "jparallel";
    }

    @Override
    public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters)
            throws ExecutionControl.ExecutionControlException {
        SnippetLoader loader = new SnippetLoader(JShellEngineProvider.class.getClassLoader());
        JShellEngine engine = new JShellEngine(loader);
        // jshell --class-path reaches an engine as an option for the JVM it would start
        List<String> options = env.extraRemoteVMOptions();
        int at = options.indexOf("--class-path") + 1;
        if (at > 0 && at < options.size()) {
            engine.addToClasspath(options.get(at));
        }
        CodeSources.useCodeOf(loader);
        return engine;
    }
}
