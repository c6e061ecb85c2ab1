package org.jparallel.internal.codec;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.Channel;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Scanner;
import java.util.Spliterator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.stream.BaseStream;

/**
 * Types whose instances never leave their JVM, even when they are Serializable: they stand for
 * threads, open resources or work in progress here. Each category carries its own reason and advice.
 */
final class DenyList {

    private record Category(List<Class<?>> types, List<String> typeNames, Refusal refusal) {

        boolean covers(Class<?> type) {
            for (Class<?> denied : types) {
                if (denied.isAssignableFrom(type)) {
                    return true;
                }
            }
            return !typeNames.isEmpty() && hasSupertypeNamed(type);
        }

        private boolean hasSupertypeNamed(Class<?> type) {
            Deque<Class<?>> pending = new ArrayDeque<>(List.of(type));
            while (!pending.isEmpty()) {
                Class<?> next = pending.pop();
                if (typeNames.contains(next.getName())) {
                    return true;
                }
                if (next.getSuperclass() != null) {
                    pending.push(next.getSuperclass());
                }
                pending.addAll(List.of(next.getInterfaces()));
            }
            return false;
        }
    }

    // Order matters where types overlap: a Scanner is an Iterator, but it is refused as an input.
    private static final List<Category> CATEGORIES = List.of(
            category(List.of(Thread.class, ThreadGroup.class),
                    "a thread runs only in the JVM that started it",
                    "Send the data the thread works on, and start threads on the worker if needed."),
            category(List.of(InputStream.class, Reader.class, Scanner.class),
                    "an input stream belongs to this JVM",
                    "Read the data first and send it, or open the stream on the worker."),
            category(List.of(OutputStream.class, Writer.class),
                    "an output stream belongs to this JVM",
                    "Send the data instead, or create the stream on the worker."),
            category(List.of(Socket.class, ServerSocket.class, DatagramSocket.class),
                    "a socket is a network connection of this JVM",
                    "Send the host and port, and connect from the worker."),
            category(List.of(Channel.class),
                    "a channel is an open file or connection of this JVM",
                    "Send the path or address, and open the channel on the worker."),
            category(List.of(Lock.class, ReadWriteLock.class, Condition.class, Semaphore.class,
                            CountDownLatch.class, CyclicBarrier.class),
                    "a lock or synchronizer only coordinates threads of this JVM",
                    "Coordinate through the values you send and receive; create locks on the worker if its code needs them."),
            category(List.of(Executor.class),
                    "an executor owns threads of this JVM",
                    "Send the tasks' data, and create executors on the worker if needed."),
            category(List.of(Future.class),
                    "a future stands for work still running in this JVM",
                    "Wait for its result (get() or join()) and send the result."),
            category(List.of(BaseStream.class),
                    "a stream is a one-shot pipeline over a source in this JVM",
                    "Collect it first (e.g. stream.toList()) and send the collection."),
            category(List.of(Iterator.class, Spliterator.class),
                    "an iterator is a position inside a collection of this JVM",
                    "Send the collection itself, or collect the remaining elements into a list."),
            category(List.of(ClassLoader.class),
                    "a class loader belongs to this JVM",
                    "Send class names instead, and load the classes on the worker."),
            category(List.of(Process.class, ProcessHandle.class),
                    "a process handle belongs to this JVM's machine",
                    "Send the command or process id instead, and start processes on the worker."),
            new Category(List.of(), List.of("java.sql.Connection", "java.sql.Statement", "java.sql.ResultSet"),
                    new Refusal("a database connection is open in this JVM",
                            "Send the connection URL and query, and connect from the worker.")));

    private DenyList() {
    }

    private static Category category(List<Class<?>> types, String reason, String advice) {
        return new Category(types, List.of(), new Refusal(reason, advice));
    }

    /** Why instances of {@code type} can never be sent, or null if the deny list does not cover it. */
    static Refusal refusalFor(Class<?> type) {
        for (Category category : CATEGORIES) {
            if (category.covers(type)) {
                return category.refusal();
            }
        }
        return null;
    }
}
