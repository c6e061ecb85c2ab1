package org.jparallel.internal.magic;

import org.jparallel.api.SerialFunction;

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

    /**
     * The body as a function of the element that may throw checked exceptions, as any cell code may.
     * Workers call it as a {@link SerialFunction}: {@link #apply} throws what {@link #run} throws, as it
     * is, and it becomes the element's failure.
     */
    @FunctionalInterface
    public interface Body<T, R> extends SerialFunction<T, R> {

        R run(T x) throws Exception;

        @Override
        default R apply(T x) {
            try {
                return run(x);
            } catch (Exception e) {
                throw Body.<RuntimeException>asUnchecked(e);
            }
        }

        /** Throws {@code e} itself, checked or not: the worker that calls {@link #apply} takes any exception. */
        @SuppressWarnings("unchecked")
        private static <E extends Exception> E asUnchecked(Exception e) throws E {
            throw (E) e;
        }
    }

    private final Iterator<?> input;
    private final Body<T, R> function;
    private List<R> results = List.of();
    private String name;

    private MapBody(Iterator<?> input, Body<T, R> function) {
        this.input = input;
        this.function = function;
    }

    public static <T, R> MapBody<T, R> of(Iterable<T> xs, Body<T, R> body) {
        return new MapBody<>(xs.iterator(), body);
    }

    public static <T, R> MapBody<T, R> of(T[] xs, Body<T, R> body) {
        return new MapBody<>(Arrays.asList(xs).iterator(), body);
    }

    public static <T, R> MapBody<T, R> of(Stream<T> xs, Body<T, R> body) {
        return new MapBody<>(xs.iterator(), body);
    }

    public static <R> MapBody<Integer, R> of(int[] xs, Body<Integer, R> body) {
        return new MapBody<>(Arrays.stream(xs).iterator(), body);
    }

    public static <R> MapBody<Long, R> of(long[] xs, Body<Long, R> body) {
        return new MapBody<>(Arrays.stream(xs).iterator(), body);
    }

    public static <R> MapBody<Double, R> of(double[] xs, Body<Double, R> body) {
        return new MapBody<>(Arrays.stream(xs).iterator(), body);
    }

    public static <R> MapBody<Byte, R> of(byte[] xs, Body<Byte, R> body) {
        return new MapBody<>(elementsOf(xs), body);
    }

    public static <R> MapBody<Short, R> of(short[] xs, Body<Short, R> body) {
        return new MapBody<>(elementsOf(xs), body);
    }

    public static <R> MapBody<Character, R> of(char[] xs, Body<Character, R> body) {
        return new MapBody<>(elementsOf(xs), body);
    }

    public static <R> MapBody<Float, R> of(float[] xs, Body<Float, R> body) {
        return new MapBody<>(elementsOf(xs), body);
    }

    public static <R> MapBody<Boolean, R> of(boolean[] xs, Body<Boolean, R> body) {
        return new MapBody<>(elementsOf(xs), body);
    }

    /** The elements of a primitive array that has no stream of its own, boxed one at a time as they are read. */
    private static Iterator<Object> elementsOf(Object primitiveArray) {
        return IntStream.range(0, Array.getLength(primitiveArray)).mapToObj(i -> Array.get(primitiveArray, i)).iterator();
    }

    public static <R> MapBody<Integer, R> of(java.util.stream.IntStream xs, Body<Integer, R> body) {
        return new MapBody<>(xs.iterator(), body);
    }

    public static <R> MapBody<Long, R> of(java.util.stream.LongStream xs, Body<Long, R> body) {
        return new MapBody<>(xs.iterator(), body);
    }

    public static <R> MapBody<Double, R> of(java.util.stream.DoubleStream xs, Body<Double, R> body) {
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

    Body<T, R> function() {
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
