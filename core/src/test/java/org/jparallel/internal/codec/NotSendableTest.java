package org.jparallel.internal.codec;

import org.jparallel.api.NotSendableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Serializable;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NotSendableTest {

    private final ValueCodec codec = new ValueCodec(NotSendableTest.class.getClassLoader());

    record Config(String title, PrintStream log) {
    }

    record Job(int id, Object lock) {
    }

    static final class Wrapper {
        Object inner;

        Wrapper(Object inner) {
            this.inner = inner;
        }
    }

    private static NotSendableException refused(Executable encoding) {
        return assertThrows(NotSendableException.class, encoding);
    }

    @Test
    void aRecordHoldingAPrintStreamNamesTheComponent() {
        NotSendableException e = refused(() -> codec.encode(new Config("run", new PrintStream(OutputStream.nullOutputStream())), "cfg"));
        assertEquals("cannot send cfg (Config): cfg.log is a java.io.PrintStream — an output stream belongs to this JVM."
                + " Send the data instead, or create the stream on the worker.", e.getMessage());
        assertEquals("cfg", e.name());
        assertEquals("cfg.log", e.path());
        assertEquals("java.io.PrintStream", e.offendingClass());
        assertEquals("an output stream belongs to this JVM", e.reason());
        assertEquals("Send the data instead, or create the stream on the worker.", e.advice());
    }

    @Test
    void aThreadInAListIsNamedByItsIndex() {
        List<Object> jobs = new ArrayList<>(List.of("a", "b", "c"));
        jobs.add(new Thread(() -> { }));
        NotSendableException e = refused(() -> codec.encode(jobs, "jobs"));
        assertEquals("jobs[3]", e.path());
        assertEquals("java.lang.Thread", e.offendingClass());
        assertTrue(e.getMessage().startsWith("cannot send jobs (ArrayList): jobs[3] is a java.lang.Thread — a thread"),
                e.getMessage());

        List<Job> records = List.of(new Job(0, "ok"), new Job(1, new ReentrantLock()));
        assertEquals("jobs[1].lock", refused(() -> codec.encode(records, "jobs")).path());
    }

    @Test
    void aLockAsAMapValueIsNamedByItsKeyEvenThoughLocksAreSerializable() {
        Map<String, Object> locks = new HashMap<>(Map.of("key1", new ReentrantLock()));
        NotSendableException e = refused(() -> codec.encode(locks, "map"));
        assertEquals("map[key1]", e.path());
        assertEquals("java.util.concurrent.locks.ReentrantLock", e.offendingClass());
        assertTrue(e.reason().contains("lock"), e.reason());

        NotSendableException immutable = refused(() -> codec.encode(Map.of("k", new ReentrantLock()), "m"));
        assertTrue(immutable.getMessage().startsWith("cannot send m (Map): m[k] is a java.util.concurrent.locks.ReentrantLock — "),
                immutable.getMessage());
        Map<Object, Object> keyedByRecords = new HashMap<>(Map.of(new Job(1, "k"), new ReentrantLock()));
        assertEquals("map.<value 0>", refused(() -> codec.encode(keyedByRecords, "map")).path());
        Map<Object, Object> threadKey = new HashMap<>(Map.of(new Thread(() -> { }), 1));
        assertEquals("map.<key 0>", refused(() -> codec.encode(threadKey, "map")).path());
    }

    @Test
    void aLambdaWhoseInterfaceIsNotSerializableIsRefusedWithAdvice() {
        Function<Integer, Integer> task = x -> x + 1;
        NotSendableException e = refused(() -> codec.encode(new Wrapper(task), "work"));
        assertEquals("work.inner", e.path());
        assertTrue(e.getMessage().contains("work.inner is a lambda implementing java.util.function.Function"),
                e.getMessage());
        assertTrue(e.reason().contains("not Serializable"), e.reason());
        assertTrue(e.advice().contains("SerialFunction") && e.advice().contains("& Serializable"), e.advice());
    }

    @Test
    void aLambdaCapturingASocketNamesTheCapture() {
        Socket socket = new Socket();
        Supplier<Boolean> task = (Supplier<Boolean> & Serializable) () -> socket.isConnected();
        NotSendableException e = refused(() -> codec.encode(task, "task"));
        assertEquals("task.<captured 1>", e.path());
        assertEquals("java.net.Socket", e.offendingClass());
        assertTrue(e.getMessage().startsWith("cannot send task (lambda): "), e.getMessage());
        assertTrue(e.reason().contains("socket"), e.reason());
    }

    @Test
    void aStreamIsRefusedWithAdviceToCollectIt() {
        Stream<String> words = Stream.of("a", "b");
        NotSendableException e = refused(() -> codec.encode(words, "words"));
        assertEquals("words", e.path());
        assertTrue(e.getMessage().startsWith("cannot send words (Stream): words is a java.util.stream.Stream — "),
                e.getMessage());
        assertTrue(e.advice().contains("toList()"), e.advice());
    }

    @Test
    void nestedOptionalsAndBatchElementsArePartOfThePath() {
        NotSendableException optional = refused(() -> codec.encode(List.of(Optional.of(System.err)), "xs"));
        assertEquals("xs[0].<value>", optional.path());

        NotSendableException batch = refused(() -> codec.encodeAll(List.of(1, 2, new Object()), "element"));
        assertEquals("element[2]", batch.path());
        assertEquals("java.lang.Object", batch.offendingClass());
        assertTrue(batch.advice().contains("plain value"), batch.advice());

        NotSendableException chunk = refused(() -> codec.encodeAll(List.of(1, List.of(new Object())), "element", 40));
        assertEquals("element[41][0]", chunk.path(), "a chunk's elements are counted from the start of the input");
    }

    @Test
    void aStringWithAnUnpairedSurrogateIsRefusedWhereItIs() {
        NotSendableException single = refused(() -> codec.encode("cut \uD83D", "item"));
        assertEquals("cannot send item (String): item is a java.lang.String — it holds an unpaired surrogate"
                + " (\\uD83D at index 4), which UTF-8 cannot carry. Pair or remove it (a string cut inside a"
                + " surrogate pair has one), or send the text as a char[].", single.getMessage());
        assertEquals("words[1]", refused(() -> codec.encode(List.of("ok", "\uDC00 low"), "words")).path());
        assertEquals("element[11]", refused(() -> codec.encodeAll(List.of("a", "b\uD800"), "element", 10)).path());
        assertEquals("😀", codec.decode(codec.encode("😀", "paired")));
    }

    @Test
    void aSerializableJdkValueHoldingSomethingUnserializableIsRefused() {
        Map.Entry<String, Object> entry = new java.util.AbstractMap.SimpleEntry<>("k", new Wrapper(1));
        Exception failure = new IllegalStateException("bad", new WrappedCause(new Wrapper("not serializable")));
        NotSendableException e = refused(() -> codec.encode(List.of(entry, failure), "results"));
        assertEquals("results[1]", e.path());
        assertTrue(e.reason().contains(Wrapper.class.getName()), e.reason());
    }

    static final class WrappedCause extends RuntimeException {
        final Wrapper detail;

        WrappedCause(Wrapper detail) {
            this.detail = detail;
        }
    }
}
