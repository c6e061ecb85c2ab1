package org.jparallel.kernel.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code System.in} for notebook code: each time it runs dry it asks the front end for a line
 * ({@code input_request}), and fails clearly when the front end does not accept input.
 */
final class RelayInputStream extends InputStream {

    /** Asks the front end for one line of input. */
    interface LineSource {
        /** The line without its line break, or null at end of input. */
        String readLine(String prompt, boolean password) throws IOException;
    }

    private final LineSource source;
    private byte[] buffer = new byte[0];
    private int position;

    RelayInputStream(LineSource source) {
        this.source = source;
    }

    @Override
    public synchronized int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return buffer[position++] & 0xff;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, buffer.length - position);
        System.arraycopy(buffer, position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public synchronized int available() {
        return buffer.length - position;
    }

    private boolean fill() throws IOException {
        if (position < buffer.length) {
            return true;
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("interrupted while waiting for input");
        }
        String line;
        try {
            line = source.readLine("", false);
        } catch (IOException e) {
            // unchecked, so that readers which swallow IOException (java.util.Scanner) still show why
            throw new UncheckedIOException(e.getMessage(), e);
        }
        if (line == null) {
            return false;
        }
        buffer = (line + "\n").getBytes(StandardCharsets.UTF_8);
        position = 0;
        return true;
    }
}
