package org.jparallel.api;

import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Named values that live in a {@link Manager}, shared by every process that has a proxy of it (Python's
 * {@code manager.Namespace()}, whose attributes become names here: {@code ns.x = 1} is
 * {@code ns.set("x", 1)}, {@code ns.x} is {@code ns.get("x")}). Made by {@link Manager#namespace()}; sent to
 * workers by reference.
 *
 * <p>Every method is one atomic request; values are copied in and out, as in a {@link ManagedMap}.
 * Thread-safe.
 */
public interface ManagedNamespace {

    /**
     * The value of {@code name}, as the type it is assigned to: {@code int n = ns.get("n");}.
     *
     * @throws NoSuchElementException if the name was never set (Python's {@code AttributeError})
     * @throws ClassCastException     if assigned to the wrong type
     */
    <T> T get(String name);

    /** The value of {@code name}, or {@code defaultValue} if it was never set. */
    <T> T getOrDefault(String name, T defaultValue);

    /** Sets {@code name} to a copy of {@code value}. */
    void set(String name, Object value);

    /** Whether {@code name} is set. */
    boolean has(String name);

    /**
     * Removes {@code name} (Python's {@code del ns.x}).
     *
     * @throws NoSuchElementException if it was not set
     */
    void remove(String name);

    /** A snapshot of every name and value, in the order they were first set (one request). */
    Map<String, Object> copy();
}
