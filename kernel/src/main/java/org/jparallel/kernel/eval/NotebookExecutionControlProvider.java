package org.jparallel.kernel.eval;

import org.jparallel.internal.code.SnippetLoader;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

import java.util.Map;

/** Hands JShell the one {@link NotebookExecutionControl} of a kernel, built around a given loader. */
final class NotebookExecutionControlProvider implements ExecutionControlProvider {

    private final NotebookExecutionControl control;

    NotebookExecutionControlProvider(SnippetLoader loader) {
        this.control = new NotebookExecutionControl(loader);
    }

    NotebookExecutionControl control() {
        return control;
    }

    @Override
    public String name() {
        return "jparallel";
    }

    @Override
    public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
        return control;
    }
}
