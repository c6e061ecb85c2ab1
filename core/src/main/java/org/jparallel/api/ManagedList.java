package org.jparallel.api;

import java.util.List;

/**
 * A list that lives in a {@link Manager} and is shared by every process that has a proxy of it (Python's
 * {@code manager.list()}). Made by {@link Manager#list()}; sent to workers by reference.
 *
 * <p>Every method is one request to the manager and is atomic, including {@code sort},
 * {@code replaceAll}, {@code removeIf}, {@code removeAll} and {@code retainAll}, which run on the manager
 * with their comparator, operator or predicate (these must be serializable, e.g.
 * {@code (UnaryOperator<Integer> & Serializable) x -> x * 2}, or {@code null} for natural order).
 * Server-side exceptions come back as themselves: {@code get(99)} on a shorter list throws
 * {@link IndexOutOfBoundsException}.
 *
 * <p><b>Copies.</b> Elements are copied in and out: changing an element you got does not change the list;
 * store it again with {@code set(i, element)}. Iteration, streams, {@code toArray}, {@code equals} and
 * {@code toString} work on a snapshot taken by one request ({@link #copy()}); iterators are read-only, and
 * {@code subList} returns a copy (as a Python slice does), not a view.
 *
 * <p>An element that cannot be sent fails at the call with {@link NotSendableException}; a call after the
 * manager stopped fails with {@link ManagerStoppedException}. Thread-safe.
 *
 * @param <E> the element type
 */
public interface ManagedList<E> extends List<E> {

    /** A snapshot of the whole list, as an ordinary ArrayList (one request). */
    List<E> copy();
}
