package org.jparallel.internal.magic;

import org.jparallel.api.SerialFunction;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.stream.BaseStream;
import java.util.stream.Stream;

/**
 * The body of a {@code %%parallel --map x:xs} cell, compiled in the notebook as a serializable
 * function of {@code x}, together with the input it maps over. The overloads let the compiler infer
 * {@code x}'s type from {@code xs}: any {@code Iterable}, array, primitive array, {@code Stream} or
 * primitive stream. Public because notebook code calls it; not an API.
 *
 * @param <T> the element type
 * @param <R> the body's value type
 */
public final class MapBody<T, R> {

    private final Iterator<?> input;
    private final SerialFunction<T, R> function;
    private List<R> results = List.of();
    private String name;

    private MapBody(Iterator<?> input, SerialFunction<T, R> function) {
        this.input = input;
        this.function = function;
    }

    public static <T, R> MapBody<T, R> of(Iterable<T> xs, SerialFunction<T, R> body) {
        return new MapBody<>(xs.iterator(), body);
    }

    public static <T, R> MapBody<T, R> of(T[] xs, SerialFunction<T, R> body) {
        return new MapBody<>(Arrays.asList(xs).iterator(), body);
    }

    public static <T, R> MapBody<T, R> of(Stream<T> xs, SerialFunction<T, R> body) {
        return new MapBody<>(xs.iterator(), body);
    }

    public static <R> MapBody<Integer, R> of(int[] xs, SerialFunction<Integer, R> body) {
        return new MapBody<>(Arrays.stream(xs).iterator(), body);
    }

    public static <R> MapBody<Long, R> of(long[] xs, SerialFunction<Long, R> body) {
        return new MapBody<>(Arrays.stream(xs).iterator(), body);
    }

    public static <R> MapBody<Double, R> of(double[] xs, SerialFunction<Double, R> body) {
        return new MapBody<>(Arrays.stream(xs).iterator(), body);
    }

    public static <R> MapBody<Integer, R> of(java.util.stream.IntStream xs, SerialFunction<Integer, R> body) {
        return new MapBody<>(xs.iterator(), body);
    }

    public static <R> MapBody<Long, R> of(java.util.stream.LongStream xs, SerialFunction<Long, R> body) {
        return new MapBody<>(xs.iterator(), body);
    }

    public static <R> MapBody<Double, R> of(java.util.stream.DoubleStream xs, SerialFunction<Double, R> body) {
        return new MapBody<>(xs.iterator(), body);
    }

    /** Whether a value can be mapped over by some overload of {@code of}. */
    static boolean mappable(Object xs) {
        return xs instanceof Iterable || xs instanceof BaseStream
                || xs != null && xs.getClass().isArray() && !(xs instanceof boolean[] || xs instanceof char[]
                || xs instanceof byte[] || xs instanceof short[] || xs instanceof float[]);
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

    SerialFunction<T, R> function() {
        return function;
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
