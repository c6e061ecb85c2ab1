package org.jparallel.internal.magic;

import org.jparallel.api.PoolRun;
import org.jparallel.internal.code.CellFunction;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.stream.BaseStream;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The body of a {@code %%parallel --map x:xs} cell, compiled in the notebook as a serializable
 * function of {@code x}, together with the input it maps over. The overloads let the compiler infer
 * {@code x}'s type from {@code xs}: any {@code Iterable}, array, primitive array of any of the eight
 * types (its elements boxed: {@code Byte}, {@code Short}, {@code Character}, {@code Integer}, {@code Long},
 * {@code Float}, {@code Double}, {@code Boolean}), {@code Stream} or primitive stream. Public because notebook code calls it; not an API.
 *
 * @param <T> the element type
 * @param <R> the body's value type
 */
public final class MapBody<T, R> {

    private final Iterator<?> input;
    private final CellFunction<T, R> function;
    private List<R> results = List.of();
    private PoolRun<R> run;
    private String name;

    private MapBody(Iterator<?> input, CellFunction<T, R> function) {
        this.input = input;
        this.function = function;
    }

    public static <T, R> MapBody<T, R> of(Iterable<T> xs, CellFunction<T, R> body) {
        return new MapBody<>(xs.iterator(), body);
    }

    public static <T, R> MapBody<T, R> of(T[] xs, CellFunction<T, R> body) {
        return new MapBody<>(Arrays.asList(xs).iterator(), body);
    }

    public static <T, R> MapBody<T, R> of(Stream<T> xs, CellFunction<T, R> body) {
        return new MapBody<>(xs.iterator(), body);
    }

    public static <R> MapBody<Integer, R> of(int[] xs, CellFunction<Integer, R> body) {
        return new MapBody<>(Arrays.stream(xs).iterator(), body);
    }

    public static <R> MapBody<Long, R> of(long[] xs, CellFunction<Long, R> body) {
        return new MapBody<>(Arrays.stream(xs).iterator(), body);
    }

    public static <R> MapBody<Double, R> of(double[] xs, CellFunction<Double, R> body) {
        return new MapBody<>(Arrays.stream(xs).iterator(), body);
    }

    public static <R> MapBody<Byte, R> of(byte[] xs, CellFunction<Byte, R> body) {
        return new MapBody<>(elementsOf(xs), body);
    }

    public static <R> MapBody<Short, R> of(short[] xs, CellFunction<Short, R> body) {
        return new MapBody<>(elementsOf(xs), body);
    }

    public static <R> MapBody<Character, R> of(char[] xs, CellFunction<Character, R> body) {
        return new MapBody<>(elementsOf(xs), body);
    }

    public static <R> MapBody<Float, R> of(float[] xs, CellFunction<Float, R> body) {
        return new MapBody<>(elementsOf(xs), body);
    }

    public static <R> MapBody<Boolean, R> of(boolean[] xs, CellFunction<Boolean, R> body) {
        return new MapBody<>(elementsOf(xs), body);
    }

    /** The elements of a primitive array that has no stream of its own, boxed one at a time as they are read. */
    private static Iterator<Object> elementsOf(Object primitiveArray) {
        return IntStream.range(0, Array.getLength(primitiveArray)).mapToObj(i -> Array.get(primitiveArray, i)).iterator();
    }

    public static <R> MapBody<Integer, R> of(java.util.stream.IntStream xs, CellFunction<Integer, R> body) {
        return new MapBody<>(xs.iterator(), body);
    }

    public static <R> MapBody<Long, R> of(java.util.stream.LongStream xs, CellFunction<Long, R> body) {
        return new MapBody<>(xs.iterator(), body);
    }

    public static <R> MapBody<Double, R> of(java.util.stream.DoubleStream xs, CellFunction<Double, R> body) {
        return new MapBody<>(xs.iterator(), body);
    }

    /** Whether a value can be mapped over by some overload of {@code of}. */
    static boolean mappable(Object xs) {
        return xs instanceof Iterable || xs instanceof BaseStream || xs != null && xs.getClass().isArray();
    }

    /** The notebook variable holding this body. */
    String name() {
        return name;
    }

    void name(String variable) {
        this.name = variable;
    }

    Iterator<?> input() {
        return input;
    }

    CellFunction<T, R> function() {
        return function;
    }

    /** The run of this body, submitted in the background. */
    @SuppressWarnings("unchecked")
    void started(PoolRun<?> submitted) {
        run = (PoolRun<R>) submitted;
    }

    /** The run of this body, when it was submitted in the background ({@code --background}); else null. */
    public PoolRun<R> run() {
        return run;
    }

    @SuppressWarnings("unchecked")
    void complete(List<?> values) {
        results = (List<R>) Collections.unmodifiableList(new ArrayList<>(values));
    }

    /** The results, in input order (or completion order with {@code --unordered}), once the run is over. */
    public List<R> results() {
        return results;
    }
}
