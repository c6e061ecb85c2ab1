package org.jparallel.kernel;

import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.ExpressionValue;
import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.dflib.jjava.jupyter.kernel.magic.MagicParser;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.publish.PublishError;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteInput;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteResult;
import org.dflib.jjava.jupyter.messages.reply.ErrorReply;
import org.dflib.jjava.jupyter.messages.reply.ExecuteReply;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;
import org.jparallel.kernel.eval.SnippetEvaluator;
import org.jparallel.kernel.io.NotebookIO;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The jparallel Java kernel: Jupyter requests answered by JShell running in this JVM.
 *
 * <p>Cells are evaluated one at a time on the shell thread's behalf (the code itself runs on a cell
 * thread, see {@link SnippetEvaluator}); completion, inspection and completeness checks come from
 * JShell's source analysis. Extensions reach the kernel through {@link #current()} and may register
 * interrupt listeners and evaluate code.
 */
public final class JavaKernel extends BaseKernel {

    private final SnippetEvaluator evaluator;
    private final NotebookIO notebookIO;
    private final CellHistory history;
    private final CodeAssist assist;
    private final List<Runnable> interruptListeners = new CopyOnWriteArrayList<>();
    private volatile String currentCell = "cell";

    JavaKernel(String version, LanguageInfo languageInfo, List<HelpLink> helpLinks, CellHistory history,
               JupyterIO io, CommManager commManager, Renderer renderer, MagicParser magicParser,
               MagicsRegistry magics, boolean extensionsEnabled, StringStyler errorStyler,
               SnippetEvaluator evaluator, NotebookIO notebookIO) {
        super("jparallel", version, languageInfo, helpLinks, history, io, commManager, renderer, magicParser,
                magics, extensionsEnabled, errorStyler);
        this.evaluator = evaluator;
        this.notebookIO = notebookIO;
        this.history = history;
        this.assist = new CodeAssist(evaluator, magics);
    }

    /** The kernel running this notebook; for notebook-facing code and extensions only. */
    public static JavaKernel current() {
        return (JavaKernel) BaseKernel.notebookKernel();
    }

    /** The notebook's JShell evaluator. */
    public SnippetEvaluator evaluator() {
        return evaluator;
    }

    /** Where notebook output goes. */
    public NotebookIO notebookIO() {
        return notebookIO;
    }

    /** The label of the cell now running, such as {@code cell[7]}, for errors and stack traces. */
    public String currentCell() {
        return currentCell;
    }

    /** Runs the listener whenever the user interrupts the kernel (the stop button). */
    public void onInterrupt(Runnable listener) {
        interruptListeners.add(listener);
    }

    /** Evaluates code (magics included) as part of the current cell. */
    public SnippetEvaluator.Outcome evalCell(String code) {
        return evaluator.eval(magicParser.resolveMagics(code), currentCell, notebookIO.err()::println);
    }

    @Override
    public Object evalRaw(String source) {
        return evalCell(source).value();
    }

    /** Renders a non-null value: arrays by content, display data as is, others by the renderer. */
    public DisplayData render(Object value) {
        if (value instanceof DisplayData) {
            return (DisplayData) value;
        }
        if (value.getClass().isArray()) {
            return new DisplayData(ArrayText.of(value));
        }
        return getRenderer().render(value);
    }

    @Override
    public void display(DisplayData data) {
        notebookIO.display(data);
    }

    @Override
    protected synchronized void handleExecuteRequest(ShellReplyEnvironment env, Message<ExecuteRequest> message) {
        commManager.setMessageContext(message);
        ExecuteRequest request = message.getContent();
        boolean silent = request.isSilent();
        boolean store = request.shouldStoreHistory() && !silent;
        int count = store ? executionCount.getAndIncrement() : Math.max(1, executionCount.get() - 1);
        env.setBusyDeferIdle();
        if (!silent) {
            env.publish(new PublishExecuteInput(request.getCode(), count));
        }
        notebookIO.attach(env, request.isStdinEnabled());
        currentCell = "cell[" + count + "]";
        String code = request.getCode();
        try {
            SnippetEvaluator.Outcome outcome = evalCell(code);
            notebookIO.drain();
            DisplayData shown = outcome.value() != null ? render(outcome.value()) : null;
            if (shown != null && !silent) {
                env.publish(new PublishExecuteResult(count, shown));
            }
            Map<String, ExpressionValue> expressions = evalUserExpressions(request.getUserExpr());
            env.defer().reply(new ExecuteReply(count, expressions));
            if (store) {
                history.record(count, code, shown == null ? null : String.valueOf(shown.getData(MIMEType.TEXT_PLAIN)));
            }
        } catch (RuntimeException e) {
            notebookIO.drain();
            ErrorReport report = ErrorReport.of(e, currentCell);
            env.publish(new PublishError(report.name(), report.value(), report.traceback()));
            ErrorReply reply = new ErrorReply(report.name(), report.value(), report.traceback());
            reply.setExecutionCount(count);
            env.defer().replyError(ExecuteReply.MESSAGE_TYPE.error(), reply);
            if (store) {
                history.record(count, code, null);
            }
        }
    }

    private Map<String, ExpressionValue> evalUserExpressions(Map<String, String> expressions) {
        Map<String, ExpressionValue> values = new LinkedHashMap<>();
        if (expressions == null) {
            return values;
        }
        expressions.forEach((name, expression) -> {
            try {
                Object value = evalCell(expression).value();
                values.put(name, new ExpressionValue.Success(value == null ? new DisplayData("null") : render(value)));
            } catch (RuntimeException e) {
                ErrorReport report = ErrorReport.of(e, currentCell);
                values.put(name, new ExpressionValue.Error(report.name(), report.value(), report.traceback()));
            }
        });
        return values;
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        return assist.inspect(code, at);
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        return assist.complete(code, at);
    }

    @Override
    public String isComplete(String code) {
        return assist.isComplete(code);
    }

    @Override
    public void interrupt() {
        evaluator.interrupt();
        interruptListeners.forEach(Runnable::run);
    }

    @Override
    public List<String> formatError(Throwable e) {
        return ErrorReport.of(e, currentCell).traceback();
    }

    @Override
    protected ClassLoader getClassLoader() {
        return evaluator.loader().classLoader();
    }

    /** Installs extensions found on the given classpath entries (jars added with %classpath or %jars). */
    public void installExtensionsFrom(String classpath) {
        if (extensionsEnabled) {
            installExtensions(classpath);
        }
    }

    @Override
    public void onShutdown(boolean restarting) {
        super.onShutdown(restarting);
        evaluator.close();
        notebookIO.close();
    }

    /** The names of every line and cell magic, for %lsmagic. */
    public List<String> magicNames() {
        List<String> names = new ArrayList<>();
        new LinkedHashSet<>(magicsRegistry.getLineMagicNames()).stream().sorted().forEach(n -> names.add("%" + n));
        new LinkedHashSet<>(magicsRegistry.getCellMagicNames()).stream().sorted().forEach(n -> names.add("%%" + n));
        return names;
    }
}
