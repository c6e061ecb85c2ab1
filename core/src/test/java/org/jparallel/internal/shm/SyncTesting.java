package org.jparallel.internal.shm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Helpers of the synchronization tests: other threads, the bytes of a segment, a dead pid. */
final class SyncTesting {

    static final Duration LIMIT = Duration.ofSeconds(30);

    private SyncTesting() {
    }

    /** Runs {@code body} on a new thread; the future completes with its result or its exception. */
    static <T> CompletableFuture<T> onOtherThread(Callable<T> body) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(body.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        thread.start();
        return result;
    }

    /** What {@code future} completed with, or the exception it completed with, thrown as is. */
    static <T> T outcome(CompletableFuture<T> future) throws Exception {
        try {
            return future.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    /** The bytes of a shared object's segment, read from its file as another process would. */
    static ByteBuffer fileOf(Object shared) throws IOException {
        Path path = Path.of(((RealShared) shared).descriptor().path());
        return ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.nativeOrder());
    }

    /** The pid of a process that has exited and been reaped. */
    static long deadPid() throws Exception {
        Process exited = new ProcessBuilder("true").start();
        exited.waitFor();
        return exited.pid();
    }
}
