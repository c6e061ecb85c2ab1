package org.jparallel.kernel;

import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.dflib.jjava.jupyter.kernel.magic.MagicParser;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.publish.PublishError;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteInput;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteResult;
import org.dflib.jjava.jupyter.messages.reply.ErrorReply;
import org.dflib.jjava.jupyter.messages.reply.ExecuteReply;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;
import org.dflib.jjava.jupyter.messages.request.IsCompleteRequest;
import org.jparallel.kernel.eval.SnippetEvaluator;
import org.jparallel.kernel.magic.CellMagicCall;
import org.jparallel.kernel.io.KernelConnection;
import org.jparallel.kernel.io.NotebookIO;
import org.jparallel.kernel.io.ProtocolContent;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The jparallel Java kernel: Jupyter requests answered by JShell running in this JVM.
 *
 * <p>Cells are evaluated one at a time on the shell thread's behalf (the code itself runs on a cell
 * thread, see {@link SnippetEvaluator}); completion, inspection and completeness checks come from
 * JShell's source analysis. Extensions reach the kernel through {@link #current()} and may evaluate code.
 */
public final class JavaKernel extends BaseKernel {

    /** How long the kernel stays idle after a cell before JShell indexes the class path (see ClassIndexing). */
    private static final long INDEX_WHEN_IDLE_MS = 1000;

    private final KernelInfo info;
    private final SnippetEvaluator evaluator;
    private final NotebookIO notebookIO;
    private final CellHistory history;
    private final CodeAssist assist;
    private volatile String currentCell = "cell";
    /** The client sessions that sent an is_complete_request: terminals (see {@link FrontEnd#TERMINAL}). */
    private final Set<String> terminalSessions = ConcurrentHashMap.newKeySet();
    /** The client session of the execute request being served, or of the last one. */
    private volatile String requestSession = "";
    /** When the last cell that stops on error failed; execute requests sent before then are aborted. */
    private volatile Instant abortQueuedBefore = Instant.MIN;
    /** Lets JShell index the class path once the kernel is idle; shut down when it has. */
    private final ScheduledExecutorService idleWork = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "jparallel-idle");
        thread.setDaemon(true);
        return thread;
    });
    /** The pending release of JShell's class-path index; guarded by this. */
    private ScheduledFuture<?> indexWhenIdle;

    JavaKernel(KernelInfo info, CellHistory history,
               JupyterIO io, CommManager commManager, Renderer renderer, MagicParser magicParser,
               MagicsRegistry magics, boolean extensionsEnabled, StringStyler errorStyler,
               SnippetEvaluator evaluator, NotebookIO notebookIO) {
        super(info.name(), info.version(), info.language(), info.helpLinks(), history, io, commManager, renderer,
                magicParser, magics, extensionsEnabled, errorStyler);
        this.info = info;
        this.evaluator = evaluator;
        this.notebookIO = notebookIO;
        this.history = history;
        this.assist = new CodeAssist(evaluator, magics);
    }

    /** The kernel running this notebook; for notebook-facing code and extensions only. */
    public static JavaKernel current() {
        return (JavaKernel) BaseKernel.notebookKernel();
    }

    /** The kernel running in this JVM, or null in a plain Java program. */
    public static JavaKernel currentOrNull() {
        return BaseKernel.notebookKernel instanceof JavaKernel ? (JavaKernel) BaseKernel.notebookKernel : null;
    }

    /** The cell running now, or the last one that ran: {@code cell[4]} (frames and errors are placed in it). */
    public String currentCell() {
        return currentCell;
    }

    /** What kind of client sent the execute request being served (or the last one). */
    public FrontEnd frontEnd() {
        return terminalSessions.contains(requestSession) ? FrontEnd.TERMINAL : FrontEnd.DOCUMENT;
    }

    /** The notebook's JShell evaluator. */
    public SnippetEvaluator evaluator() {
        return evaluator;
    }

    /** Where notebook output goes. */
    public NotebookIO notebookIO() {
        return notebookIO;
    }

    /** Compiles code as part of the current cell without running its statements (see {@link SnippetEvaluator#compile}). */
    public SnippetEvaluator.Compiled compileCell(String code) {
        return evaluator.compile(code, currentCell, notebookIO.err()::println);
    }

    /** Evaluates code (magics included) as part of the current cell; a cell that is one cell magic calls it directly. */
    public SnippetEvaluator.Outcome evalCell(String code) {
        CellMagicCall magic = CellMagicCall.of(code);
        if (magic != null) {
            return evaluator.run(magic::run);
        }
        return evaluator.eval(magicParser.resolveMagics(code), currentCell, notebookIO.err()::println);
    }

    @Override
    public Object evalRaw(String source) {
        return evalCell(source).value();
    }

    /** Renders a value: arrays by content, display data as is, null as {@code null}, others by the renderer. */
    public DisplayData render(Object value) {
        if (value == null) {
            return new DisplayData("null");
        }
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
        if (abortQueued(env, message)) {
            return;
        }
        holdClassPathIndexing();
        try {
            execute(env, message);
        } finally {
            indexClassPathWhenIdle();
        }
    }

    /** A cell starts: JShell does not index the class path while it runs. */
    private synchronized void holdClassPathIndexing() {
        if (indexWhenIdle != null) {
            indexWhenIdle.cancel(false);
        }
    }

    /** Has JShell index the class path unless a cell starts within {@link #INDEX_WHEN_IDLE_MS}. */
    private synchronized void indexClassPathWhenIdle() {
        holdClassPathIndexing();
        if (!idleWork.isShutdown()) {
            indexWhenIdle = idleWork.schedule(this::indexClassPath, INDEX_WHEN_IDLE_MS, TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void indexClassPath() {
        evaluator.releaseClassIndex();
        idleWork.shutdown();
    }

    private void execute(ShellReplyEnvironment env, Message<ExecuteRequest> message) {
        commManager.setMessageContext(message);
        requestSession = String.valueOf(message.getHeader().getSessionId());
        ExecuteRequest request = message.getContent();
        boolean silent = request.isSilent();
        boolean store = request.shouldStoreHistory() && !silent;
        int count = store ? executionCount.getAndIncrement() : Math.max(1, executionCount.get() - 1);
        evaluator.startCell(); // an interrupt sent once the front end sees busy stops this cell
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
            env.defer().reply(ProtocolContent.ok(MessageType.EXECUTE_REPLY)
                    .with("execution_count", count)
                    .with("user_expressions", evalUserExpressions(request.getUserExpr()))
                    .with("payload", List.of()));
            if (store) {
                history.record(count, code, shown == null ? null : String.valueOf(shown.getData(MIMEType.TEXT_PLAIN)));
            }
        } catch (RuntimeException e) {
            Instant failed = Instant.now();
            notebookIO.drain();
            ErrorReport report = ErrorReport.of(e, currentCell);
            env.publish(new PublishError(report.name(), report.value(), report.traceback()));
            ErrorReply reply = new ErrorReply(report.name(), report.value(), report.traceback());
            reply.setExecutionCount(count);
            env.defer().replyError(ExecuteReply.MESSAGE_TYPE.error(), reply);
            if (request.shouldStopOnError()) {
                abortQueuedBefore = failed;
            }
            if (store) {
                history.record(count, code, null);
            }
        }
    }

    private Map<String, Object> evalUserExpressions(Map<String, String> expressions) {
        Map<String, Object> values = new LinkedHashMap<>();
        if (expressions == null) {
            return values;
        }
        expressions.forEach((name, expression) -> {
            try {
                Object value = evalCell(expression).value();
                values.put(name, new ExpressionData(render(value)));
            } catch (RuntimeException e) {
                ErrorReport report = ErrorReport.of(e, currentCell);
                values.put(name, Map.of("status", "error", "ename", report.name(), "evalue", report.value(),
                        "traceback", report.traceback()));
            }
        });
        return values;
    }

    /** A user expression's value as the protocol wants it: the display data plus {@code status: ok}. */
    private static final class ExpressionData extends DisplayData {
        @SuppressWarnings("unused") // read by the JSON writer
        private final String status = "ok";

        ExpressionData(DisplayData data) {
            super(data);
        }
    }

    /**
     * When the front end sent a message (its header date, to the microsecond), or {@link Instant#MAX} when
     * the date is missing or unreadable.
     */
    private static Instant sentAt(Message<?> message) {
        try {
            return OffsetDateTime.parse(message.getHeader().getTimestamp().getDateString()).toInstant();
        } catch (RuntimeException e) {
            return Instant.MAX;
        }
    }

    /**
     * True for an execute request sent before the last failed cell failed: it was queued behind that
     * cell, and is answered "aborted". A request sent in answer to the error is always later, so the
     * comparison keeps the header date's full precision (a millisecond is long enough for a front end
     * to read the error reply and send its next cell).
     */
    private boolean abortQueued(ShellReplyEnvironment env, Message<ExecuteRequest> message) {
        if (!sentAt(message).isBefore(abortQueuedBefore)) {
            return false;
        }
        env.setBusyDeferIdle();
        env.defer().reply(ProtocolContent.aborted(MessageType.EXECUTE_REPLY)
                .with("execution_count", Math.max(1, executionCount.get() - 1)));
        return true;
    }

    @Override
    public void becomeHandlerForConnection(JupyterConnection connection) {
        super.becomeHandlerForConnection(connection);
        if (connection instanceof KernelConnection own) {
            commManager.setIOPubChannel(own.publisher()); // jjava-jupyter's own IOPub socket is never bound
        }
        indexClassPathWhenIdle(); // also when no cell comes: completion wants the index ready
        connection.setHandler(MessageType.KERNEL_INFO_REQUEST, info.handler());
        connection.setHandler(MessageType.COMM_INFO_REQUEST, (env, message) -> {
            env.setBusyDeferIdle();
            Map<String, Object> comms = new LinkedHashMap<>();
            String target = message.getContent().getTargetName();
            commManager.forEach(comm -> {
                if (target == null || target.equals(comm.getTargetName())) {
                    comms.put(comm.getID(), Map.of("target_name", comm.getTargetName()));
                }
            });
            env.reply(ProtocolContent.ok(MessageType.COMM_INFO_REPLY).with("comms", comms));
        });
        connection.setHandler(MessageType.HISTORY_REQUEST, (env, message) -> {
            env.setBusyDeferIdle();
            env.reply(ProtocolContent.ok(MessageType.HISTORY_REPLY)
                    .with("history", history.answer(message.getContent())));
        });
        connection.setHandler(MessageType.INTERRUPT_REQUEST, (env, message) -> {
            env.setBusyDeferIdle();
            interrupt();
            env.reply(ProtocolContent.ok(MessageType.INTERRUPT_REPLY));
        });
        connection.setHandler(MessageType.SHUTDOWN_REQUEST, (env, message) -> {
            env.setBusyDeferIdle();
            boolean restart = message.getContent().isRestart();
            env.defer().reply(ProtocolContent.ok(MessageType.SHUTDOWN_REPLY).with("restart", restart));
            onShutdown(restart);
            env.resolveDeferrals();
            env.markForShutdown();
        });
    }

    @Override
    protected void handleIsCodeCompeteRequest(ShellReplyEnvironment env, Message<IsCompleteRequest> message) {
        terminalSessions.add(String.valueOf(message.getHeader().getSessionId()));
        super.handleIsCodeCompeteRequest(env, message);
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
        idleWork.shutdownNow();
        interrupt();
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
