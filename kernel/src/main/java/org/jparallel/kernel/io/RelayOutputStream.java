package org.jparallel.kernel.io;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The bytes written to {@code System.out} or {@code System.err}, decoded as UTF-8 and handed to an
 * {@link OutputRelay}; a character split across two writes is kept until it is whole.
 */
final class RelayOutputStream extends OutputStream {

    private final OutputRelay relay;
    private final OutputRelay.Stream stream;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private final ByteBuffer pending = ByteBuffer.allocate(8);
    private final CharBuffer chars = CharBuffer.allocate(8192);

    RelayOutputStream(OutputRelay relay, OutputRelay.Stream stream) {
        this.relay = relay;
        this.stream = stream;
    }

    @Override
    public synchronized void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] bytes, int off, int len) {
        ByteBuffer in = ByteBuffer.wrap(bytes, off, len);
        StringBuilder out = new StringBuilder(len);
        while (pending.position() > 0 && in.hasRemaining()) {
            pending.put(in.get());
            pending.flip();
            decodeInto(pending, out);
            pending.compact();
        }
        decodeInto(in, out);
        if (in.hasRemaining()) {
            pending.put(in);
        }
        relay.write(stream, out.toString());
    }

    private void decodeInto(ByteBuffer in, StringBuilder out) {
        while (true) {
            chars.clear();
            boolean more = decoder.decode(in, chars, false).isOverflow();
            chars.flip();
            out.append(chars);
            if (!more) {
                return;
            }
        }
    }
}
