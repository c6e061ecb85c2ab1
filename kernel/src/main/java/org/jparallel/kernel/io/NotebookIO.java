package org.jparallel.kernel.io;

import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The kernel's side of what notebook code reads and writes: {@code System.out}, {@code System.err}
 * and {@code System.in}, displays, and input from the front end.
 *
 * <p>The system streams are installed once, for the life of the kernel, so threads a cell starts keep
 * printing into the notebook. Input requests run on a thread of their own that is never interrupted.
 */
public final class NotebookIO implements AutoCloseable, RelayInputStream.LineSource {

    private final OutputRelay relay = new OutputRelay();
    private final ExecutorService stdin = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "jparallel-stdin");
        t.setDaemon(true);
        return t;
    });
    private final PrintStream out = new PrintStream(new RelayOutputStream(relay, OutputRelay.Stream.OUT),
            true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(new RelayOutputStream(relay, OutputRelay.Stream.ERR),
            true, StandardCharsets.UTF_8);
    private volatile ShellReplyEnvironment env;
    private volatile boolean stdinAllowed;

    /** Points {@code System.out}, {@code System.err} and {@code System.in} at the notebook. */
    public void installSystemStreams() {
        System.setOut(out);
        System.setErr(err);
        System.setIn(new RelayInputStream(this));
    }

    /** From now on, output belongs to this request; input is asked for only if it allows stdin. */
    public void attach(ShellReplyEnvironment env, boolean allowStdin) {
        this.env = env;
        this.stdinAllowed = allowStdin;
        relay.attach(env);
    }

    /** Waits until all output so far is published. */
    public void drain() {
        out.flush();
        err.flush();
        relay.drain();
    }

    public PrintStream err() {
        return err;
    }

    /** Shows display data in the current cell. */
    public void display(DisplayData data) {
        relay.display(data, false);
    }

    /** Replaces the display with the same display id, wherever it is. */
    public void updateDisplay(DisplayData data) {
        if (!data.hasDisplayId()) {
            throw new IllegalArgumentException("an update needs the display id that display() returned");
        }
        relay.display(data, true);
    }

    /**
     * Asks the front end for a line of input.
     *
     * @throws IOException when the front end does not take input, or the wait was interrupted
     */
    @Override
    public String readLine(String prompt, boolean password) throws IOException {
        ShellReplyEnvironment target = env;
        if (target == null || !stdinAllowed) {
            throw new IOException("this front end does not accept input (the request has allow_stdin=false); "
                    + "pass the value in code instead");
        }
        drain();
        Future<String> line = stdin.submit(() -> target.readFromStdIn(prompt, password));
        try {
            String value = line.get();
            return value.endsWith(System.lineSeparator())
                    ? value.substring(0, value.length() - System.lineSeparator().length()) : value;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for input");
        } catch (ExecutionException e) {
            throw new IOException("the front end did not answer the input request: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void close() {
        drain();
        relay.close();
        stdin.shutdownNow();
    }
}
