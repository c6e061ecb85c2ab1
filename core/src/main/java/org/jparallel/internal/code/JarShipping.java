package org.jparallel.internal.code;

import org.jparallel.internal.wire.Message;
import org.jparallel.internal.wire.ServiceThreads;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The kernel's side of a jar's transfer: answers a worker's {@link Message.FetchJar} with one
 * {@link Message.JarPart} of at most {@link #PART_BYTES}, read from the kernel's cached copy, or a
 * {@link Message.JarRefused} that says why not. One part per request keeps a single part in flight per
 * worker, so a jar of any size costs the kernel one part of memory, and no frame is larger than a part.
 * Files are read on a thread of its own, never on a wire's selector thread.
 */
public final class JarShipping {

    /** The most bytes of one part: 1 MiB. */
    public static final int PART_BYTES = 1 << 20;

    private static final ExecutorService READER = Executors.newSingleThreadExecutor(
            body -> ServiceThreads.daemon(body, "jparallel-jar-reader"));

    private JarShipping() {
    }

    /** Sends the answer to {@code fetch} through {@code send}, from the reading thread. */
    public static void answer(Message.FetchJar fetch, CodeSource code, Consumer<Message> send) {
        READER.execute(() -> send.accept(part(fetch, code)));
    }

    static Message part(Message.FetchJar fetch, CodeSource code) {
        ClasspathJar jar = code.jar(fetch.sha256());
        if (jar == null) {
            return new Message.JarRefused(fetch.sha256(), "the kernel has no classpath jar with this SHA-256");
        }
        try (FileChannel file = FileChannel.open(jar.file(), StandardOpenOption.READ)) {
            long size = file.size();
            if (size != jar.size()) {
                return new Message.JarRefused(fetch.sha256(), "the kernel's copy " + jar.file() + " changed (" + size
                        + " bytes, not " + jar.size() + ")");
            }
            if (fetch.offset() < 0 || fetch.offset() > size) {
                return new Message.JarRefused(fetch.sha256(), "offset " + fetch.offset() + " is outside the jar");
            }
            ByteBuffer bytes = ByteBuffer.allocate((int) Math.min(PART_BYTES, size - fetch.offset()));
            while (bytes.hasRemaining()) {
                if (file.read(bytes, fetch.offset() + bytes.position()) < 0) {
                    return new Message.JarRefused(fetch.sha256(), "the kernel's copy " + jar.file() + " shrank");
                }
            }
            return new Message.JarPart(fetch.sha256(), fetch.offset(), bytes.array(),
                    fetch.offset() + bytes.capacity() == size);
        } catch (NoSuchFileException e) {
            return new Message.JarRefused(fetch.sha256(), "the kernel's copy " + jar.file()
                    + " is gone (was its jar cache deleted?); add the jar again");
        } catch (IOException e) {
            return new Message.JarRefused(fetch.sha256(), "the kernel cannot read its copy " + jar.file() + ": " + e);
        }
    }
}
