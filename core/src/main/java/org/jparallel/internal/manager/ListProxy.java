package org.jparallel.internal.manager;

import org.jparallel.api.ManagedList;

import java.util.AbstractList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.ListIterator;
import java.util.Spliterator;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A proxy of a managed list: every method is one request to the server, and so atomic — {@code sort},
 * {@code replaceAll} and {@code removeIf} run on the server, with their function. Iteration, streams,
 * {@code toArray} and {@code subList} work on a copy taken by one request (a sublist is a copy, as a
 * Python slice is); the iterators are read-only.
 */
final class ListProxy<E> extends AbstractList<E> implements ManagedList<E>, ManagedProxy {

    private final RemoteObject remote;

    ListProxy(RemoteObject remote) {
        this.remote = remote;
    }

    @Override
    public ProxyReference reference() {
        return remote.reference();
    }

    @Override
    public List<E> copy() {
        return remote.call(Op.LIST_COPY);
    }

    @Override
    public int size() {
        return remote.<Integer>call(Op.LIST_SIZE);
    }

    @Override
    public E get(int index) {
        return remote.call(Op.LIST_GET, index);
    }

    @Override
    public E set(int index, E element) {
        return remote.call(Op.LIST_SET, index, element);
    }

    @Override
    public boolean add(E element) {
        return remote.<Boolean>call(Op.LIST_ADD, element);
    }

    @Override
    public void add(int index, E element) {
        remote.call(Op.LIST_INSERT, index, element);
    }

    @Override
    public E remove(int index) {
        return remote.call(Op.LIST_REMOVE_AT, index);
    }

    @Override
    public boolean remove(Object element) {
        return remote.<Boolean>call(Op.LIST_REMOVE, element);
    }

    @Override
    public int indexOf(Object element) {
        return remote.<Integer>call(Op.LIST_INDEX_OF, element);
    }

    @Override
    public int lastIndexOf(Object element) {
        return remote.<Integer>call(Op.LIST_LAST_INDEX_OF, element);
    }

    @Override
    public boolean contains(Object element) {
        return remote.<Boolean>call(Op.LIST_CONTAINS, element);
    }

    @Override
    public boolean containsAll(Collection<?> elements) {
        return copy().containsAll(elements);
    }

    @Override
    public void clear() {
        remote.call(Op.LIST_CLEAR);
    }

    @Override
    public boolean addAll(Collection<? extends E> elements) {
        return remote.<Boolean>call(Op.LIST_ADD_ALL, elements);
    }

    @Override
    public boolean addAll(int index, Collection<? extends E> elements) {
        return remote.<Boolean>call(Op.LIST_INSERT_ALL, index, elements);
    }

    @Override
    public boolean removeAll(Collection<?> elements) {
        return remote.<Boolean>call(Op.LIST_REMOVE_ALL, elements);
    }

    @Override
    public boolean retainAll(Collection<?> elements) {
        return remote.<Boolean>call(Op.LIST_RETAIN_ALL, elements);
    }

    @Override
    public boolean removeIf(Predicate<? super E> filter) {
        return remote.<Boolean>call(Op.LIST_REMOVE_IF, filter);
    }

    @Override
    public void replaceAll(UnaryOperator<E> operator) {
        remote.call(Op.LIST_REPLACE_ALL, operator);
    }

    @Override
    public void sort(Comparator<? super E> comparator) {
        remote.call(Op.LIST_SORT, comparator);
    }

    @Override
    public Iterator<E> iterator() {
        return readOnlyCopy().iterator();
    }

    @Override
    public ListIterator<E> listIterator(int index) {
        return readOnlyCopy().listIterator(index);
    }

    @Override
    public Spliterator<E> spliterator() {
        return readOnlyCopy().spliterator();
    }

    @Override
    public void forEach(Consumer<? super E> action) {
        copy().forEach(action);
    }

    @Override
    public Object[] toArray() {
        return copy().toArray();
    }

    @Override
    public <T> T[] toArray(T[] array) {
        return copy().toArray(array);
    }

    @Override
    public List<E> subList(int fromIndex, int toIndex) {
        return copy().subList(fromIndex, toIndex);
    }

    private List<E> readOnlyCopy() {
        return Collections.unmodifiableList(copy());
    }

    /** The contents, or a description once the manager is stopped. */
    @Override
    public String toString() {
        return remote.text(() -> copy().toString());
    }
}
