package org.jparallel.internal.worker;

import org.jparallel.internal.code.ClasspathJar;
import org.jparallel.internal.code.JarCache;
import org.jparallel.internal.wire.Message;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * A worker's side of a jar's transfer: a jar named by a {@link Message.DefineCode} is taken from this host's
 * {@link JarCache} if it is there, else asked of the kernel a part at a time ({@link Message.FetchJar}) and
 * written into the cache, holding the cache's lock so that the other workers of this host wait for it rather
 * than receive it too. Runs on the task thread that handles the definition; the parts are handed over by the
 * thread that reads the connection ({@link #deliver}).
 */
final class JarFetcher {

    private final Consumer<Message> send;
    private final BlockingQueue<Message> answers = new LinkedBlockingQueue<>();

    /** @param send sends a message to the kernel */
    JarFetcher(Consumer<Message> send) {
        this.send = send;
    }

    /** Whether the reading thread must hand this message here. */
    static boolean isAnswer(Message message) {
        return message instanceof Message.JarPart || message instanceof Message.JarRefused;
    }

    /** An answer to a fetch, from the thread that reads the connection. */
    void deliver(Message answer) {
        answers.add(answer);
    }

    /**
     * The jar, in this host's cache.
     *
     * @throws IllegalStateException naming the jar and why, if it cannot be had
     */
    ClasspathJar get(Message.Jar jar) {
        try {
            JarCache cache = JarCache.forUser();
            Path cached = cache.find(jar.sha256());
            if (cached != null) {
                return new ClasspathJar(jar.name(), jar.sha256(), jar.size(), cached);
            }
            return cache.locked(() -> {
                Path meanwhile = cache.find(jar.sha256()); // another worker of this host got it while we waited
                if (meanwhile != null) {
                    return new ClasspathJar(jar.name(), jar.sha256(), jar.size(), meanwhile);
                }
                return cache.store(jar.name(), jar.sha256(), out -> receive(jar, out));
            });
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("this worker could not get jar " + jar.name() + " (SHA-256 "
                    + jar.sha256().substring(0, 12) + "…, " + jar.size() + " bytes): " + e.getMessage(), e);
        }
    }

    /**
     * The part asked for. The kernel answers every request once, so an answer to another request is one whose
     * fetch was given up (its task thread interrupted by a cancel): it is dropped.
     */
    private Message.JarPart answerTo(String sha256, long offset) throws IOException {
        while (true) {
            Message answer;
            try {
                answer = answers.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while receiving it");
            }
            if (answer instanceof Message.JarRefused refused && refused.sha256().equals(sha256)) {
                throw new IOException("the kernel cannot send it: " + refused.reason());
            }
            if (answer instanceof Message.JarPart part && part.sha256().equals(sha256) && part.offset() == offset) {
                return part;
            }
        }
    }

    private void receive(Message.Jar jar, OutputStream out) throws IOException {
        long offset = 0;
        while (true) {
            send.accept(new Message.FetchJar(jar.sha256(), offset));
            Message.JarPart part = answerTo(jar.sha256(), offset);
            out.write(part.bytes());
            offset += part.bytes().length;
            if (offset > jar.size() || (part.last() && offset != jar.size())) {
                throw new IOException("received " + offset + " bytes of a jar of " + jar.size());
            }
            if (part.last()) {
                return;
            }
        }
    }
}
